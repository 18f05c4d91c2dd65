package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The console's product search page: conditions built with the operators, on-hand shown. */
class ProductSearchPageIntegrationTest extends QueryTestSupport {
    private ConsoleHttp console;
    private String base;

    @BeforeEach
    void signInAndLoad() {
        console = new ConsoleHttp(port);
        assertThat(console.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        base = "/console/env/" + env + "/productsearch";
        IvsClient.Response loaded = client.post(api("/products/bulk"), """
                [{"organizationId": "usmf", "itemNumber": "PX-1", "productName": "Deluxe Chair",
                  "attributes": [{"attributeName": "Color", "attributeArea": "DimensionAttribute",
                                  "attributeValues": ["red"]}]},
                 {"organizationId": "usmf", "itemNumber": "PX-2",
                  "productName": "Basic Chair"}]""");
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        postAll(List.of(
                event(
                        "a",
                        "usmf",
                        "PX-1",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        7),
                event(
                        "b",
                        "usmf",
                        "PX-2",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        3)));
    }

    @Test
    void emptyForm_showsTheConditionsAndTheMenuEntry() {
        ConsoleHttp.Page page = console.get(base);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Product search", "IsExactly", "Between", "attribute");
    }

    @Test
    void containsAndAttributeCondition_showTheOnHandOfTheMatches() {
        ConsoleHttp.Page page = console.get(base + "?organizationId=usmf&logic=And"
                + "&target0=productName&operator0=Contains&values0=chair"
                + "&target1=attribute&attribute1=color&operator1=IsOneOf&values1=RED,blue");

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("PX-1", ">7<").doesNotContain("PX-2");
    }

    @Test
    void betweenWithOneValue_isRefusedNamingTheField() {
        ConsoleHttp.Page page = console.get(base + "?organizationId=usmf"
                + "&target0=itemNumber&operator0=Between&values0=PX-1");

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("values0");
    }
}
