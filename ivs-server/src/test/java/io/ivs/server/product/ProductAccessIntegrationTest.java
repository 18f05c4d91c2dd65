package io.ivs.server.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

/**
 * Who may use the catalogue and the product search: catalogue writes need inventory.write or
 * config.admin, reads and searches need inventory.read.
 */
class ProductAccessIntegrationTest extends HttpTestSupport {
    private static final String PRODUCTS = """
            [{"organizationId": "usmf", "itemNumber": "P1", "productName": "Chair"}]""";
    private static final String SEARCH = """
            {"filters": {"organizationId": ["usmf"], "siteId": ["1"], "locationId": ["11"]},
             "productSearch": {"productFilter": {"conditions": [
               {"conditionOperator": "Contains", "productName": ["chair"]}]}}}""";

    @Test
    void reader_searchesAndReadsButCannotWrite() {
        IvsClient reader = clientWith("inventory.read");

        assertThat(reader.post(api("/products/bulk"), PRODUCTS).status()).isEqualTo(403);
        assertThat(reader.delete(api("/products?organizationId=usmf&itemNumber=P1"), null)
                        .status())
                .isEqualTo(403);
        assertThat(client.post(api("/products/bulk"), PRODUCTS).status()).isEqualTo(200);
        assertThat(reader.get(api("/products?organizationId=usmf&itemNumber=P1"))
                        .status())
                .isEqualTo(200);
        assertThat(reader.post(api("/onhand/productsearch/indexquery"), SEARCH).status())
                .isEqualTo(200);
    }

    @Test
    void writerAndAdministrator_writeTheCatalogue_writerAloneCannotSearch() {
        IvsClient writer = clientWith("inventory.write");
        IvsClient admin = clientWith("config.admin");

        assertThat(writer.post(api("/products/bulk"), PRODUCTS).status()).isEqualTo(200);
        assertThat(admin.post(api("/products/bulk"), PRODUCTS).status()).isEqualTo(200);
        assertThat(writer.post(api("/onhand/productsearch/indexquery"), SEARCH).status())
                .isEqualTo(403);
        assertThat(admin.delete(api("/products?organizationId=usmf&itemNumber=P1"), null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void noToken_isRefused() {
        IvsClient anonymous = client.withoutAuth();

        assertThat(anonymous.post(api("/products/bulk"), PRODUCTS).status()).isEqualTo(401);
        assertThat(anonymous
                        .post(api("/onhand/productsearch/exactquery"), SEARCH)
                        .status())
                .isEqualTo(401);
    }
}
