package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The overview over plain HTTP: each figure links to the page that lists what it counts, and
 * following the link shows those rows and no others; without an alert rule the page says that
 * stock health is not counted and links to the form that creates one.
 */
class ConsoleOverviewIntegrationTest extends HttpTestSupport {
    private static final String ORG = "usmf";
    private static final Map<String, String> RED =
            Map.of("siteId", "1", "locationId", "11", "colorId", "red");

    @Autowired
    JdbcTemplate jdbc;

    private ConsoleHttp console;

    @BeforeEach
    void signIn() {
        console = new ConsoleHttp(port);
        assertThat(console.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
    }

    @Test
    void overview_withoutAlertRule_saysHealthIsNotCounted_andTheLinkedFormCreatesARule() {
        String overview = page("/overview");
        assertThat(overview).contains("id=\"no-alert-rule\"", "No alert rule exists");
        assertThat(figure(overview, "tile-out")).isEqualTo("not counted");
        String form = href(overview, "no-alert-rule");
        assertThat(form).endsWith("/alerts#rule-create");
        assertThat(get(form.substring(0, form.indexOf('#')))).contains("id=\"rule-create\"");

        ConsoleHttp.Page refused = console.post(
                "/console/env/" + env + "/alerts/rules", rule("low-atr", "iv.nosuch"), true);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"alert-error\"", "measure: ", "iv.nosuch");
        ConsoleHttp.Page created = console.post(
                "/console/env/" + env + "/alerts/rules",
                rule("low-atr", "iv.availabletoreserve"),
                true);
        assertThat(created.status()).as(created.body()).isEqualTo(302);

        String after = page("/overview");
        assertThat(after).doesNotContain("id=\"no-alert-rule\"").contains("From 1 alert rule(s)");
        assertThat(figure(after, "tile-out")).isEqualTo("0");
        assertThat(page("/alerts")).contains("low-atr", "iv.availabletoreserve");
    }

    @Test
    void healthFigures_linkToTheProductsTheyCount_andOnToTheFilteredExplorer() {
        post("b1", "Bike", 4);
        post("h1", "Helmet", 3);
        // What the alert evaluator leaves behind for three products of one rule.
        jdbc.update(
                "insert into alert_rule (environment_id, name, measure, organization_id,"
                        + " dimensions, threshold, hysteresis)"
                        + " values (?, 'low-atr', 'iv.availabletoreserve', ?, '{}', 5, 0)",
                env,
                ORG);
        state("Bike", -2, true, true);
        state("Helmet", 3, false, true);
        state("Gloves", 8, false, false);
        String overview = page("/overview");
        assertThat(figure(overview, "tile-out")).isEqualTo("1");
        assertThat(figure(overview, "tile-negative")).isEqualTo("1");
        assertThat(figure(overview, "tile-below")).isEqualTo("2");

        String out = get(href(overview, "tile-out"));
        assertThat(rows(out, "alerted-products", 2)).containsExactly("Bike");
        assertThat(rows(get(href(overview, "tile-negative")), "alerted-products", 2))
                .containsExactly("Bike");
        String below = get(href(overview, "tile-below"));
        assertThat(rows(below, "alerted-products", 2)).containsExactly("Bike", "Helmet");

        String explorer = get(firstLink(out, "alerted-products"));
        assertThat(explorer).contains("id=\"results\"");
        assertThat(rows(explorer, "results-table", 1)).isNotEmpty().allMatch("Bike"::equals);
    }

    @Test
    void reservationAndAllocationFigures_linkToThePagesListingThem() {
        configure(document -> {
            ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode iv =
                    (ObjectNode) document.get("inventorySystemConfigurations").get("@iv");
            ((ObjectNode) iv.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(iv, "@available_to_allocate", new String[] {"pos.inbound"}, new String[] {
                "@iv.@allocated"
            });
        });
        post("t1", "T-shirt", 20);
        reserve("order-1");
        allocate("al1", "US");
        String overview = page("/overview");
        assertThat(figure(overview, "tile-reservations")).isEqualTo("1");
        assertThat(figure(overview, "tile-allocations")).isNotEqualTo("0");

        String reservations = get(href(overview, "tile-reservations"));
        assertThat(rows(reservations, "reservations-table", 2)).containsExactly("T-shirt");
        String allocation = get(href(overview, "tile-allocations"));
        assertThat(rows(allocation, "allocated-records", 1)).containsExactly("T-shirt");
        String tree = get(firstLink(allocation, "allocated-records"));
        assertThat(tree).contains("id=\"allocation-tree\"", "region:</span> <span>US</span>");
        assertThat(overview).contains("href=\"#refused\"", "id=\"refused\"");
    }

    @Test
    void reader_seesAlertedProducts_butNeitherRulesNorTheFormAndCannotCreateOne() {
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(
                        Map.of("environments", List.of(env), "roles", List.of("inventory.read"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ConsoleHttp reader = new ConsoleHttp(port);
        assertThat(reader.signIn(
                                created.json().path("clientId").asString(),
                                created.json().path("clientSecret").asString())
                        .status())
                .isEqualTo(302);

        ConsoleHttp.Page alerts = reader.get("/console/env/" + env + "/alerts?show=out");
        assertThat(alerts.status()).isEqualTo(200);
        assertThat(alerts.body())
                .contains("An administrator (config.admin) can create one")
                .doesNotContain("id=\"rule-create\"");
        ConsoleHttp.Page refused = reader.post(
                "/console/env/" + env + "/alerts/rules",
                rule("low-atr", "iv.availabletoreserve"),
                true);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(console.get("/console/env/" + env + "/alerts?show=nothing").status())
                .isEqualTo(400);
    }

    private String page(String path) {
        return get("/console/env/" + env + path);
    }

    private String get(String path) {
        ConsoleHttp.Page page = console.get(path);
        assertThat(page.status()).as(path + ": " + page.body()).isEqualTo(200);
        return page.body();
    }

    /** The figure of an overview tile. */
    private static String figure(String html, String tile) {
        return match(html, "id=\"" + tile + "\">.*?<span class=\"figure\">([^<]*)</span>");
    }

    /** The first link inside the element with this id. */
    private static String href(String html, String id) {
        return match(html, "id=\"" + id + "\".*?<a href=\"([^\"]+)\"").replace("&amp;", "&");
    }

    private static String firstLink(String html, String table) {
        return href(html, table);
    }

    /** The text of one column (from 0, tags removed) of each body row of a table. */
    private static List<String> rows(String html, String table, int column) {
        String body = match(html, "id=\"" + table + "\".*?<tbody>(.*?)</tbody>");
        return Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL)
                .matcher(body)
                .results()
                .map(row -> Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL)
                        .matcher(row.group(1))
                        .results()
                        .map(cell -> cell.group(1).replaceAll("<[^>]*>", "").strip())
                        .toList()
                        .get(column))
                .toList();
    }

    private static String match(String html, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(html);
        assertThat(matcher.find()).as(regex + " in " + html).isTrue();
        return matcher.group(1).strip();
    }

    private static Map<String, String> rule(String name, String measure) {
        return Map.of("name", name, "measure", measure, "organizationId", ORG, "threshold", "0");
    }

    private void state(String product, int value, boolean out, boolean below) {
        jdbc.update(
                "insert into alert_state (product_key, environment_id, rule_name,"
                        + " organization_id, product_id, value, is_out, is_below)"
                        + " values (gen_random_uuid(), ?, 'low-atr', ?, ?, ?, ?, ?)",
                env,
                ORG,
                product,
                value,
                out,
                below);
    }

    private void post(String id, String product, int inbound) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(Map.of(
                        "id", id,
                        "organizationId", ORG,
                        "productId", product,
                        "dimensions", RED,
                        "quantities", Map.of("pos", Map.of("inbound", inbound)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private void reserve(String id) {
        IvsClient.Response reserved = client.post(
                api("/onhand/reserve"),
                IvsClient.json(Map.of(
                        "id",
                        id,
                        "organizationId",
                        ORG,
                        "productId",
                        "T-shirt",
                        "dimensions",
                        RED,
                        "quantityDataSource",
                        "iv",
                        "modifier",
                        "softreserved",
                        "quantity",
                        2,
                        "ifCheckAvailForReserv",
                        true)));
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
    }

    private void allocate(String id, String region) {
        IvsClient.Response response = client.post(
                api("/allocation/allocate"),
                IvsClient.json(Map.of(
                        "id",
                        id,
                        "organizationId",
                        ORG,
                        "productId",
                        "T-shirt",
                        "dimensions",
                        RED,
                        "groups",
                        Map.of("channel", "Online", "customerGroup", "VIP", "region", region),
                        "quantity",
                        3)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
}
