package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The console in a real browser (headless Chromium through Selenium) against a real IVS and
 * PostgreSQL: sign-in and sign-out, changing a calculated measure and seeing query results
 * change, stock posted through the API in the explorer and its CSV, the ATP chart, reversing a
 * reservation and the allocation tree. Every page visited is saved as a screenshot at desktop
 * and phone size in {@code target/console-screenshots}.
 */
class ConsoleBrowserIntegrationTest extends HttpTestSupport {
    private static final String ORG = "usmf";
    private static ConsoleBrowser browser;

    @Autowired
    ChangeFeed feed;

    @BeforeEach
    void signedIn() {
        if (browser == null) {
            browser = ConsoleBrowser.start(port);
        }
        browser.open("/console/env/" + env + "/onhand");
        if (browser.path().startsWith("/console/login")) {
            browser.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void signIn_wrongThenRightSecret_opensEnvironment_andSignOutEndsSession() {
        browser.driver.manage().deleteAllCookies();
        browser.open("/console/env/" + env + "/onhand");
        assertThat(browser.path()).startsWith("/console/login");
        browser.screenshots("login");

        browser.signIn(IvsClient.ADMIN_ID, "not-the-secret");
        assertThat(browser.find("[role=alert]").getText()).contains("Sign-in failed");

        browser.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        assertThat(browser.path()).isEqualTo("/console");
        browser.screenshots("environments");
        browser.find("a[href='/console/open?env=" + env + "']").click();
        browser.find("#tile-out");
        assertThat(browser.path()).isEqualTo("/console/env/" + env + "/overview");

        browser.find("header form button[type=submit].link").click();
        browser.waitForText("main", "You are signed out");
        browser.open("/console/env/" + env + "/onhand");
        assertThat(browser.path()).startsWith("/console/login");
    }

    @Test
    void calculatedMeasure_changedInConsole_changesExplorerResults() {
        post("e1", Map.of("siteId", "1", "locationId", "11", "colorId", "red"), "inbound", 5);
        post("e2", Map.of("siteId", "1", "locationId", "11", "colorId", "red"), "outbound", 2);
        query("T-shirt", "siteId, locationId");
        assertThat(cell(0, "pos.availquantity")).isEqualTo("3");
        assertThat(cell(0, "pos.inbound")).isEqualTo("5");

        browser.open("/console/env/" + env + "/configuration");
        assertThat(browser.find("#ds-pos code.formula").getText())
                .isEqualTo("fno.availphysical + pos.inbound - pos.outbound");
        browser.screenshots("configuration");
        browser.find("a[aria-label='Edit data source pos']").click();
        browser.type("#calculatedMeasures", "availquantity = pos.inbound");
        browser.screenshots("datasource");
        browser.find("main form button.primary").click();
        browser.waitForText(".draft-bar", "Draft with changes");
        browser.find(".draft-bar a.primary").click();

        browser.waitForText("#validation-ok", "valid configuration");
        String diff = browser.find("table.diff").getText();
        assertThat(diff).contains("\"pos.outbound\"").contains("\"fno.availphysical\"");
        browser.screenshots("review");
        browser.find("#update-configuration").click();
        browser.waitForText("[role=status]", "Configuration version 2 is active");

        query("T-shirt", "siteId, locationId");
        assertThat(cell(0, "pos.availquantity")).isEqualTo("5");
        assertThat(configuration().toString()).contains("\"additionModifiers\":[\"pos.inbound\"]");

        browser.open("/console/env/" + env + "/configuration/history");
        browser.screenshots("history");
        browser.find("a[href$='/configuration/history/2']").click();
        assertThat(browser.find("table.diff").getText()).contains("pos.outbound");
        browser.screenshots("version");
    }

    @Test
    void stockPostedThroughApi_showsInExplorer_andAsCsv() throws Exception {
        post("s1", Map.of("siteId", "1", "locationId", "11", "colorId", "red"), "inbound", 7);
        post("s2", Map.of("siteId", "1", "locationId", "11", "colorId", "black"), "outbound", 3);

        query("T-shirt", "siteId, locationId, colorId");

        List<WebElement> rows =
                browser.driver.findElements(By.cssSelector("#results-table tbody tr"));
        assertThat(rows).hasSize(2);
        int color = column("colorId");
        String firstColor =
                rows.get(0).findElements(By.tagName("td")).get(color).getText();
        int red = firstColor.equals("red") ? 0 : 1;
        assertThat(cell(red, "pos.inbound")).isEqualTo("7");
        assertThat(cell(1 - red, "pos.availquantity")).isEqualTo("-3");
        assertThat(browser.find("th.calc[data-measure='iv.availabletoreserve']").getText())
                .contains("calc");
        browser.screenshots("onhand");

        String csv = download(browser.find("#csv-link").getAttribute("href"));
        List<String> lines = csv.lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertThat(lines).hasSize(3);
        String redLine =
                lines.stream().filter(l -> l.contains(",red,")).findFirst().orElseThrow();
        assertThat(redLine.split(",", -1)[header.indexOf("pos.inbound")]).isEqualTo("7");
        assertThat(redLine).startsWith("usmf,T-shirt,");
    }

    @Test
    void liveChanges_showEarlierChanges_andNewOnesAsTheyCommit() throws InterruptedException {
        post("l1", Map.of("siteId", "1", "locationId", "11", "colorId", "red"), "inbound", 4);
        // A change is in the feed once the sequencer has given it a position, just after its
        // commit (docs/scale-out.md, "The change feed"): the page lists what is there when it
        // opens.
        assertThat(feed.read(env, -1, 10, Duration.ofSeconds(10)).changes()).hasSize(1);
        browser.open("/console/env/" + env + "/changes");
        browser.waitForText("#changes-body", "pos.inbound=4");
        assertThat(browser.driver.findElements(By.cssSelector("#changes-body tr")))
                .hasSize(1);

        // Posted after the page opened: arrives through the page's event stream.
        post("l2", Map.of("siteId", "1", "locationId", "11", "colorId", "red"), "inbound", 6);
        browser.waitForText("#changes-body", "pos.inbound=10");
        browser.waitForText("#changes-status", "1 new change");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#changes-body tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).contains("pos.inbound=10").contains("ColorId=red");
        assertThat(rows.get(1).getText()).contains("pos.inbound=4");
        browser.screenshots("changes");
    }

    @Test
    void atp_scheduledChanges_drawnAsChartWithTheNumbers() {
        configure(document -> {
            calculated(
                    source(document, "iv"), "onhand", new String[] {"pos.inbound"}, new String[] {
                        "pos.outbound"
                    });
            ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
            schedule.put("isScheduleEnabled", true);
            schedule.put("schedulePeriodInDays", 7);
            schedule.putArray("atpCalculatedMeasures").add("iv.onhand");
        });
        Map<String, String> bike =
                Map.of("siteId", "1", "locationId", "11", "colorId", "Red", "sizeId", "Small");
        postProduct("a1", "Bike", bike, "inbound", 10);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        schedule("c1", bike, today.plusDays(2), "outbound", 4);
        schedule("c2", bike, today.plusDays(4), "inbound", 3);

        browser.open("/console/env/" + env + "/atp");
        browser.type("#organizationId", ORG);
        browser.type("#productIds", "Bike");
        browser.type("#siteIds", "1");
        browser.type("#locationIds", "11");
        browser.find("main form button.primary").click();

        WebElement chart = browser.find("#atp-chart-0 svg");
        assertThat(chart.findElements(By.tagName("path"))).isNotEmpty();
        List<String> projected = columnText("section.atp table", 1);
        List<String> atp = columnText("section.atp table", 2);
        assertThat(projected).containsExactly("10", "10", "6", "6", "9", "9", "9");
        assertThat(atp).containsExactly("6", "6", "6", "6", "9", "9", "9");
        browser.screenshots("atp");
    }

    @Test
    void reservation_listed_andReversedFromConsole() {
        configure(document ->
                ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true));
        Map<String, String> red = Map.of("siteId", "1", "locationId", "11", "colorId", "red");
        post("r1", red, "inbound", 10);
        IvsClient.Response reserved = client.post(
                api("/onhand/reserve"),
                IvsClient.json(Map.of(
                        "id",
                        "order-1",
                        "organizationId",
                        ORG,
                        "productId",
                        "T-shirt",
                        "dimensions",
                        red,
                        "quantityDataSource",
                        "iv",
                        "modifier",
                        "softreserved",
                        "quantity",
                        3,
                        "ifCheckAvailForReserv",
                        true)));
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        String reservationId = reserved.json().path("reservationId").asString();

        browser.open("/console/env/" + env + "/reservations");
        browser.waitForText("#reservations-table", reservationId);
        assertThat(columnText("#reservations-table", 5)).containsExactly("3");
        browser.screenshots("reservations");
        browser.find("button[aria-label='Reverse reservation " + reservationId + "']")
                .click();

        browser.waitForText("[role=status]", "3 released");
        assertThat(columnText("#reservations-table", 5)).containsExactly("0");
        query("T-shirt", "siteId, locationId");
        assertThat(cell(0, "iv.availabletoreserve")).isEqualTo("10");
    }

    @Test
    void allocation_groupTree_showsAllocatedAndConsumed() {
        configure(document -> {
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode iv = source(document, "@iv");
            ((ObjectNode) iv.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(iv, "@available_to_allocate", new String[] {"pos.inbound"}, new String[] {
                "@iv.@allocated"
            });
        });
        Map<String, String> red = Map.of("siteId", "1", "locationId", "11", "colorId", "red");
        client.post(
                api("/onhand"),
                IvsClient.json(Map.of(
                        "id",
                        "f1",
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        red,
                        "quantities",
                        Map.of("pos", Map.of("inbound", 20)))));
        allocate("al1", red, "US", 6);
        allocate("al2", red, "EU", 4);

        browser.open("/console/env/" + env + "/allocation");
        browser.type("#a-org", ORG);
        browser.type("#a-product", "Bike");
        browser.type("#a-dims", "siteId = 1\nlocationId = 11\ncolorId = red");
        browser.find("main form button.primary").click();

        String tree = browser.find("#allocation-tree").getText();
        assertThat(tree).contains("channel: Online", "region: US", "region: EU");
        assertThat(columnText("#allocation-tree", 1)).contains("6", "4");
        assertThat(columnText("#allocation-tree", 3)).first().isEqualTo("10");
        browser.screenshots("allocation");
    }

    @Test
    void integrations_showOwnershipLastFullSyncAndLastPush() {
        IvsClient.Response begun = client.post(api("/sync/pos"), "");
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        String syncId = begun.json().path("syncId").asString();
        IvsClient.Response sent = client.post(
                api("/sync/pos/" + syncId + "/records"),
                IvsClient.json(List.of(Map.of(
                        "id",
                        "i1",
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        Map.of("siteId", "1", "locationId", "11"),
                        "quantities",
                        Map.of("pos", Map.of("inbound", 5))))));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(client.post(api("/sync/pos/" + syncId + "/complete"), "").status())
                .isEqualTo(200);

        browser.open("/console/env/" + env + "/integrations");

        String fno = browser.find("#sources-table tr[data-source='fno']").getText();
        assertThat(fno).contains("fno", "yes", "none", "never");
        String pos = browser.find("#sources-table tr[data-source='pos']").getText();
        assertThat(pos).contains("completed", "1 records, 0 set to zero", syncId);
        assertThat(pos).doesNotContain("never");
        assertThat(browser.find("#kafka-sources").getText())
                .contains(
                        "Kafka sources",
                        "Kafka ingestion is off",
                        "No full sync of this environment came from Kafka");
        assertThat(browser.seriousAccessibilityViolations("integrations")).isEmpty();
        browser.screenshots("integrations");
    }

    private void allocate(String id, Map<String, String> dims, String region, int quantity) {
        IvsClient.Response response = client.post(
                api("/allocation/allocate"),
                IvsClient.json(Map.of(
                        "id", id,
                        "organizationId", ORG,
                        "productId", "Bike",
                        "dimensions", dims,
                        "groups",
                                Map.of(
                                        "channel",
                                        "Online",
                                        "customerGroup",
                                        "VIP",
                                        "region",
                                        region),
                        "quantity", quantity)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static ObjectNode source(ObjectNode document, String name) {
        return (ObjectNode) document.get("inventorySystemConfigurations").get(name);
    }

    private void post(String id, Map<String, String> dims, String measure, int quantity) {
        postProduct(id, "T-shirt", dims, measure, quantity);
    }

    private void postProduct(
            String id, String product, Map<String, String> dims, String measure, int quantity) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(Map.of(
                        "id", id,
                        "organizationId", ORG,
                        "productId", product,
                        "dimensions", dims,
                        "quantities", Map.of("pos", Map.of(measure, quantity)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private void schedule(
            String id, Map<String, String> dims, LocalDate date, String measure, int quantity) {
        IvsClient.Response response = client.post(
                api("/onhand/changeschedule"),
                IvsClient.json(Map.of(
                        "id",
                        id,
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        dims,
                        "quantitiesByDate",
                        Map.of(date.toString(), Map.of("pos", Map.of(measure, quantity))))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Runs an explorer query and waits for its results table. */
    private void query(String product, String groupBy) {
        browser.open("/console/env/" + env + "/onhand");
        browser.type("#organizationId", ORG);
        browser.type("#productIds", product);
        browser.type("#siteIds", "1");
        browser.type("#locationIds", "11");
        browser.type("#groupBy", groupBy);
        String before = browser.driver.findElements(By.id("results-table")).isEmpty()
                ? ""
                : browser.find("#results-table").getAttribute("outerHTML");
        browser.find("#run-query").click();
        new WebDriverWait(browser.driver, ConsoleBrowser.WAIT).until(d -> {
            List<WebElement> tables = d.findElements(By.id("results-table"));
            return !tables.isEmpty() && !tables.get(0).getAttribute("outerHTML").equals(before);
        });
    }

    private int column(String name) {
        List<WebElement> headers =
                browser.driver.findElements(By.cssSelector("#results-table thead th"));
        for (int i = 0; i < headers.size(); i++) {
            String measure = headers.get(i).getAttribute("data-measure");
            if (name.equals(measure) || headers.get(i).getText().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new AssertionError("no column " + name + " in the results");
    }

    private String cell(int row, String measure) {
        int index = column(measure);
        return browser.driver
                .findElements(By.cssSelector("#results-table tbody tr"))
                .get(row)
                .findElements(By.cssSelector("th, td"))
                .get(index)
                .getText();
    }

    /** The text of one column of a table's body rows, read even where it is folded away. */
    private List<String> columnText(String table, int index) {
        return browser.find(table).findElements(By.cssSelector("tbody tr")).stream()
                .map(tr -> tr.findElements(By.cssSelector("th, td")).get(index))
                .map(td -> td.getAttribute("textContent").strip())
                .toList();
    }

    private String download(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Cookie", browser.sessionCookie())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        return response.body();
    }
}
