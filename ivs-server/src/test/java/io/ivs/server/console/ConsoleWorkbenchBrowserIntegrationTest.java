package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The console as a workbench, in headless Chromium against a real IVS and PostgreSQL: the
 * overview's figures and charts, write pages with the API's validation (a double-submitted form
 * counts once), the webhook administration page, keyboard-only use, and axe-core on every page
 * with no serious or critical violation. Screenshots at 1280×800 and 390 px wide and the axe
 * report ({@code axe-report.txt}) go to {@code target/console-screenshots}.
 */
class ConsoleWorkbenchBrowserIntegrationTest extends HttpTestSupport {
    private static final String ORG = "usmf";
    private static final Map<String, String> RED =
            Map.of("siteId", "1", "locationId", "11", "colorId", "red");
    private static ConsoleBrowser browser;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void signedIn() {
        if (browser == null) {
            browser = ConsoleBrowser.start(port);
        }
        browser.open("/console/env/" + env + "/overview");
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
    void overview_countsChangesAndReservations_andLinksToPages() {
        enableReservations();
        post("o1", "inbound", 10);
        post("o2", "outbound", 4);
        reserve("order-o", 2);

        browser.open("/console/env/" + env + "/overview");
        assertThat(browser.find("#rate-changes .chart-total").getText()).isEqualTo("2");
        assertThat(browser.find("#rate-reservations .chart-total").getText()).isEqualTo("1");
        assertThat(browser.find("#tile-reservations .figure").getText()).isEqualTo("1");
        assertThat(browser.find("#rate-changes svg").findElements(By.tagName("rect")))
                .hasSize(OverviewController.BUCKETS);
        assertThat(browser.find("#tile-out .figure").getText()).isEqualTo("not counted");
        assertThat(browser.find("#no-alert-rule").getText()).contains("No alert rule exists");
        browser.screenshots("overview");

        browser.find("#no-alert-rule a").click();
        browser.find("#rule-create");
        browser.screenshots("alerts-no-rule");
        browser.open("/console/env/" + env + "/overview");

        browser.find("#tile-reservations a").click();
        browser.waitForText("#reservations-table", "T-shirt");
    }

    @Test
    void overview_stockHealthFromAlertStates_linksToTheFilteredExplorer() {
        // A rule and what the alert evaluator leaves behind for two of its products.
        jdbc.update(
                "insert into alert_rule (environment_id, name, measure, organization_id,"
                        + " dimensions, threshold, hysteresis)"
                        + " values (?, 'low-atr', 'iv.availabletoreserve', ?, '{}', 5, 0)",
                env,
                ORG);
        for (Object[] state : List.of(
                new Object[] {"Bike", -2, true, true}, new Object[] {"Helmet", 3, false, true})) {
            jdbc.update(
                    "insert into alert_state (product_key, environment_id, rule_name,"
                            + " organization_id, product_id, value, is_out, is_below)"
                            + " values (gen_random_uuid(), ?, 'low-atr', ?, ?, ?, ?, ?)",
                    env,
                    ORG,
                    state[0],
                    state[1],
                    state[2],
                    state[3]);
        }
        browser.open("/console/env/" + env + "/overview");
        assertThat(browser.find("#tile-out .figure").getText()).isEqualTo("1");
        assertThat(browser.find("#tile-negative .figure").getText()).isEqualTo("1");
        assertThat(browser.find("#tile-below .figure").getText()).isEqualTo("2");
        assertThat(browser.find("#alerted-table").getText())
                .contains("Bike", "out of stock", "Helmet", "below threshold");
        browser.screenshots("overview-alerts");

        browser.find("#tile-out a").click();
        browser.waitForText("#alerted-products", "Bike");
        assertThat(browser.find("#alerted-products").getText()).doesNotContain("Helmet");
        browser.screenshots("alerts-out");
        browser.open("/console/env/" + env + "/overview");

        browser.find("#alerted-table a").click();
        browser.find("#results");
        assertThat(browser.path()).contains("/onhand?organizationId=usmf&productIds=Bike");
        assertThat(browser.find("#productIds").getAttribute("value")).isEqualTo("Bike");
    }

    @Test
    void writeOnHand_doubleSubmitOfTheSameForm_countsOnce() {
        browser.open("/console/env/" + env + "/write?kind=onhand");
        String eventId = browser.find("#eventId").getAttribute("value");
        assertThat(eventId).startsWith("console-");
        fillRecord();
        browser.type("#quantities", "pos.inbound = 5");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Success");
        assertThat(browser.find("#eventId").getAttribute("value")).isEqualTo(eventId);
        browser.screenshots("write-onhand");

        // The answer page keeps the form as sent: sending it again sends the same event id.
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Success");
        assertThat(inbound()).isEqualTo("5");
        browser.open("/console/env/" + env + "/overview");
        assertThat(browser.find("#rate-changes .chart-total").getText()).isEqualTo("1");

        // A new form has a new event id, and the same change counts again.
        browser.open("/console/env/" + env + "/write?kind=onhand");
        assertThat(browser.find("#eventId").getAttribute("value")).isNotEqualTo(eventId);
        fillRecord();
        browser.type("#quantities", "pos.inbound = 5");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Success");
        assertThat(inbound()).isEqualTo("10");
    }

    @Test
    void writePages_refuseWithTheApiMessages_andApplyEveryKind() {
        browser.open("/console/env/" + env + "/write?kind=reserve");
        fillRecord();
        browser.type("#quantityDataSource", "iv");
        browser.type("#modifier", "softreserved");
        browser.type("#quantity", "2");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Refused (400)");
        assertThat(browser.find("#write-answer").getText()).containsIgnoringCase("reserv");
        browser.screenshots("write-reserve-refused");

        browser.open("/console/env/" + env + "/write?kind=onhand");
        fillRecord();
        browser.type("#quantities", "pos.inbound = abc");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Refused (400)");
        assertThat(browser.find("#write-answer").getText()).contains("quantities.pos.inbound");

        browser.open("/console/env/" + env + "/write?kind=setonhand");
        fillRecord();
        new org.openqa.selenium.support.ui.Select(browser.find("#inventorySystem"))
                .selectByValue("pos");
        browser.type("#quantities", "pos.inbound = 8");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Success");
        assertThat(inbound()).isEqualTo("8");
        browser.screenshots("write-setonhand");

        enableReservations();
        browser.open("/console/env/" + env + "/write?kind=reserve");
        fillRecord();
        browser.type("#quantityDataSource", "iv");
        browser.type("#modifier", "softreserved");
        browser.type("#quantity", "3");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Success");
        String answer = browser.find("#write-answer").getText();
        String reservationId = answer.replaceAll("(?s).*\\(reservation ([^)]+)\\).*", "$1");

        browser.open("/console/env/" + env + "/write?kind=unreserve");
        fillRecord();
        browser.type("#reservationId", reservationId);
        browser.type("#quantity", "1");
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "released 1");
        browser.screenshots("write-unreserve");

        browser.open("/console/env/" + env + "/write?kind=schedule");
        fillRecord();
        browser.type("#quantities", "pos.inbound = 4");
        browser.driver.executeScript(
                "document.getElementById('date').value = arguments[0]",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString());
        browser.find("#write-submit").click();
        browser.waitForText("#write-answer", "Refused");
        browser.screenshots("write-schedule");
    }

    @Test
    void explorer_pagesSortsSavesQueries_andDownloadsTheWholeResult() throws Exception {
        String[] colors = {"red", "black", "blue"};
        for (int i = 0; i < colors.length; i++) {
            postRecord(
                    "p" + i,
                    Map.of("siteId", "1", "locationId", "11", "colorId", colors[i]),
                    10 * (i + 1));
        }
        String query = "/console/env/" + env + "/onhand?organizationId=" + ORG
                + "&productIds=T-shirt&groupBy=siteId,locationId,colorId&returnNegative=true";
        browser.open(query + "&pageSize=2&sort=pos.inbound&desc=true");
        assertThat(browser.find("#row-total").getText()).isEqualTo("3");
        assertThat(browser.find("#row-range").getText()).contains("Rows 1–2, page 1 of 2");
        assertThat(inboundColumn()).containsExactly("30", "20");
        browser.screenshots("explorer-paged");

        browser.find("#next-page").click();
        browser.waitForText("#row-range", "page 2 of 2");
        assertThat(inboundColumn()).containsExactly("10");

        // Sorting by a column starts again at page 1, ascending first.
        browser.find("th[data-measure='pos.inbound'] a.sort").click();
        browser.waitForText("#row-range", "page 1 of 2");
        assertThat(inboundColumn()).containsExactly("10", "20");

        browser.type("#saved-name", "tees by inbound");
        browser.find("#save-query button").click();
        browser.open("/console/env/" + env + "/onhand");
        browser.find("#saved-queries a").click();
        browser.waitForText("#row-range", "Rows 1–2");
        assertThat(inboundColumn()).containsExactly("10", "20");
        browser.screenshots("explorer-saved");

        String csv = download(browser.find("#csv-link").getAttribute("href"));
        assertThat(csv.lines()).hasSize(4);
    }

    private List<String> inboundColumn() {
        List<WebElement> headers =
                browser.driver.findElements(By.cssSelector("#results-table thead th"));
        int index = -1;
        for (int i = 0; i < headers.size(); i++) {
            if ("pos.inbound".equals(headers.get(i).getAttribute("data-measure"))) {
                index = i;
            }
        }
        int column = index;
        return browser.driver.findElements(By.cssSelector("#results-table tbody tr")).stream()
                .map(tr -> tr.findElements(By.cssSelector("th, td")).get(column).getText())
                .toList();
    }

    private String download(String url) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .header("Cookie", browser.sessionCookie())
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private void postRecord(String id, Map<String, String> dims, int inbound) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(Map.of(
                        "id", id,
                        "organizationId", ORG,
                        "productId", "T-shirt",
                        "dimensions", dims,
                        "quantities", Map.of("pos", Map.of("inbound", inbound)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void administration_clientsKeysAndEnvironments() {
        browser.open("/console/env/" + env + "/admin");
        browser.type("#c-id", "console-made-" + env);
        browser.type("#c-envs", env);
        browser.find("input[name=roles][value='inventory.read']").click();
        browser.find("#client-create-submit").click();
        browser.waitForText("[role=status]", "Its secret, shown only now: ");
        assertThat(browser.find("#clients-table").getText()).contains("console-made-" + env);
        browser.find("button[aria-label='Revoke console-made-" + env + "']").click();
        browser.waitForText("[role=status]", "revoked");

        int keys = browser.driver
                .findElements(By.cssSelector("#keys-table tbody tr"))
                .size();
        browser.find("#rotate-key").click();
        browser.waitForText("[role=status]", "signs from now on");
        assertThat(browser.driver.findElements(By.cssSelector("#keys-table tbody tr")))
                .hasSize(keys + 1);

        browser.type("#new-env", env + "-b");
        browser.find("#environment-create button").click();
        browser.waitForText("[role=status]", "created with the default configuration");
        assertThat(browser.find("#environments-list").getText()).contains(env + "-b");
        browser.screenshots("admin");
    }

    @Test
    void webhooks_createPauseResumeReplay_andDeadLetters() {
        browser.open("/console/env/" + env + "/webhooks");
        browser.type("#w-url", "http://127.0.0.1:9/ivs-hook");
        browser.type("#w-products", "T-shirt");
        browser.type("#w-description", "console test");
        browser.find("#webhook-create-submit").click();
        browser.waitForText("[role=status]", "Its signing secret, shown only now: whsec_");
        String id = browser.find("#webhooks-table tbody td").getText();
        assertThat(browser.find("#webhooks-table").getText()).contains("active");
        browser.screenshots("webhooks");

        browser.find("button[aria-label='Pause " + id + "']").click();
        browser.waitForText("[role=status]", id + " paused.");
        assertThat(browser.find("#webhooks-table").getText()).contains("paused");
        browser.find("button[aria-label='Resume " + id + "']").click();
        browser.waitForText("[role=status]", id + " resumed.");

        browser.type("#after-" + id, "latest");
        browser.find("button[aria-label='Replay " + id + "']").click();
        browser.waitForText("[role=status]", "delivers again after position");

        browser.find("a[aria-label^='Dead letters of " + id + "']").click();
        browser.waitForText("main", "No dead letter.");
        browser.screenshots("dead-letters");
        client.delete("/admin/environments/" + env + "/webhooks/" + id, null);
    }

    @Test
    void configurationHistory_showsWhenAndWhoMadeEachVersion() {
        enableReservations();
        browser.open("/console/env/" + env + "/configuration/history");
        String table = browser.find("#history-table").getText();
        assertThat(table).contains("Version 2").contains(IvsClient.ADMIN_ID);
        browser.screenshots("history-authors");
    }

    @Test
    void keyboardOnly_skipLinkThenSectionsThenForm() {
        browser.open("/console/env/" + env + "/write?kind=onhand");
        WebElement body = browser.find("body");
        body.sendKeys(Keys.TAB);
        WebElement active = browser.driver.switchTo().activeElement();
        assertThat(active.getText()).isEqualTo("Skip to content");
        active.sendKeys(Keys.ENTER);
        // From the main landmark, the next stops are the kinds of write, then the form.
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement focused = browser.driver.switchTo().activeElement();
            stops.add(focused.getTagName() + "#" + focused.getAttribute("id"));
        }
        assertThat(stops).contains("input#eventId", "input#organizationId", "textarea#quantities");
        fillByKeyboard();
        new WebDriverWait(browser.driver, ConsoleBrowser.WAIT)
                .until(d -> d.getPageSource().contains("Success"));
        assertThat(inbound()).isEqualTo("2");
    }

    @Test
    void everyPage_hasNoSeriousAccessibilityViolation() {
        enableReservations();
        post("x1", "inbound", 3);
        List<String> pages = new ArrayList<>(List.of(
                "/console",
                "/overview",
                "/alerts",
                "/alerts?show=out",
                "/onhand",
                "/reservations",
                "/atp",
                "/allocation",
                "/configuration",
                "/configuration/settings",
                "/configuration/history",
                "/webhooks",
                "/admin",
                "/onhand?organizationId=usmf&productIds=T-shirt&groupBy=siteId"
                        + "&returnNegative=true"));
        for (WriteForm.Kind kind : WriteForm.Kind.values()) {
            pages.add("/write?kind=" + kind.path());
        }
        List<String> serious = new ArrayList<>();
        for (String page : pages) {
            browser.open(page.equals("/console") ? page : "/console/env/" + env + page);
            browser.find("main");
            serious.addAll(browser.seriousAccessibilityViolations(page).stream()
                    .map(v -> page + ": " + v)
                    .toList());
        }
        browser.driver.manage().deleteAllCookies();
        browser.open("/console/login");
        serious.addAll(browser.seriousAccessibilityViolations("/console/login"));
        assertThat(serious).isEmpty();
    }

    /** The check can fail: an image without a text alternative is a critical violation. */
    @Test
    void accessibilityCheck_onAPageWithAnUnlabelledImage_reportsIt() {
        browser.open("/console/env/" + env + "/overview");
        browser.find("main");
        browser.driver.executeScript("var img = document.createElement('img');"
                + " img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';"
                + " document.querySelector('main').appendChild(img);");
        assertThat(browser.seriousAccessibilityViolations("(deliberately broken overview)"))
                .anySatisfy(line -> assertThat(line).startsWith("image-alt: critical"));
    }

    private void fillRecord() {
        browser.type("#organizationId", ORG);
        browser.type("#productId", "T-shirt");
        browser.type("#dimensions", "siteId = 1\nlocationId = 11\ncolorId = red");
    }

    private void fillByKeyboard() {
        WebElement org = browser.find("#organizationId");
        org.sendKeys(ORG + Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys("T-shirt" + Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        browser.driver
                .switchTo()
                .activeElement()
                .sendKeys("siteId = 1\nlocationId = 11\ncolorId = red" + Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys("pos.inbound = 2" + Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    }

    private void enableReservations() {
        configure(document ->
                ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true));
    }

    private void post(String id, String measure, int quantity) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(Map.of(
                        "id", id,
                        "organizationId", ORG,
                        "productId", "T-shirt",
                        "dimensions", RED,
                        "quantities", Map.of("pos", Map.of(measure, quantity)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private void reserve(String id, int quantity) {
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
                        quantity,
                        "ifCheckAvailForReserv",
                        true)));
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
    }

    /** The record's pos.inbound as the API's index query answers it. */
    private String inbound() {
        IvsClient.Response response = client.post(
                api("/onhand/indexquery"),
                IvsClient.json(Map.of(
                        "filters",
                        Map.of(
                                "organizationId", List.of(ORG),
                                "productId", List.of("T-shirt"),
                                "siteId", List.of("1"),
                                "locationId", List.of("11")),
                        "groupByValues",
                        List.of("siteId", "locationId"),
                        "returnNegative",
                        true)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        return quantity(rows.get(0), "pos", "inbound");
    }
}
