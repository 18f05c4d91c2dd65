package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Product search, adjustments and the log history in headless Chromium against a real IVS and
 * PostgreSQL: a catalogue and its stock loaded through the API, products searched with a
 * condition and shown with their on-hand, an adjustment posted with immediate sync and listed
 * with its status, the on-hand it changed, and the log lines of those changes with their
 * authors, filtered. Keyboard-only use, screenshots at 1280×800 and 390 px wide, and axe-core
 * with no serious or critical violation on each of the three pages.
 */
class ConsoleProductsBrowserIntegrationTest extends HttpTestSupport {
    private static final String ORG = "usmf";
    private static final String INBOUND = "pos.inbound";

    @RegisterExtension
    static final SharedConsoleBrowser SHARED = new SharedConsoleBrowser();

    private ConsoleBrowser browser;

    /** The client that loaded the stock: the author of those log lines. */
    private String stockWriter;

    @BeforeEach
    void loadAndSignIn() {
        loadCatalogueAndStock();
        browser = SHARED.at(port, page("/productsearch"));
    }

    @Test
    void productSearch_containsCondition_showsTheMatchesWithTheirOnHand() {
        browser.open(page("/productsearch"));
        browser.type("#organizationId", ORG);
        new Select(browser.find("#target0")).selectByValue("productName");
        new Select(browser.find("#operator0")).selectByValue("Contains");
        browser.type("#values0", "chair");
        browser.find("#run-search").click();
        browser.waitForText("#row-count", "2 rows");

        assertThat(onHandByProduct()).containsOnly(Map.entry("PX-1", "7"), Map.entry("PX-2", "3"));
        // The search is in the address, so it can be bookmarked and reloaded as it is.
        assertThat(browser.path()).contains("organizationId=usmf").contains("values0=chair");
        browser.screenshots("productsearch");

        new Select(browser.find("#target1")).selectByValue("attribute");
        browser.type("#attribute1", "Color");
        new Select(browser.find("#operator1")).selectByValue("IsOneOf");
        browser.type("#values1", "RED, blue");
        browser.find("#run-search").click();
        browser.waitForText("#row-count", "1 row");
        assertThat(onHandByProduct()).containsOnly(Map.entry("PX-1", "7"));

        new Select(browser.find("#operator0")).selectByValue("Between");
        browser.find("#run-search").click();
        browser.waitForText("#results [role=alert]", "values0");
        assertThat(browser.driver.findElements(By.id("results-table"))).isEmpty();
        browser.screenshots("productsearch-refused");
    }

    @Test
    void adjustmentPostedWithSync_isListedPosted_andChangesTheOnHand() {
        String id = "console-adj-" + env.substring(env.length() - 8);
        browser.open(page("/adjustments"));
        assertThat(browser.find("#a-sync").isSelected()).isTrue();
        fillAdjustment(id, "PX-1", "4");
        browser.find("#adjustment-post").click();

        browser.waitForText("[role=status]", "'" + id + "' posted and applied to on-hand");
        WebElement row = adjustmentRow(id);
        assertThat(row.findElement(By.cssSelector("td.status")).getText()).isEqualTo("IVPosted");
        assertThat(row.getText()).contains("PX-1", "pos.inbound", "IMov");
        assertThat(row.getText().toLowerCase(Locale.ROOT)).contains("siteid=1");
        browser.screenshots("adjustments");

        new Select(browser.find("#f-status")).selectByValue("Created");
        browser.find("#adjustment-filter").click();
        browser.waitForText("main", "No adjustment matches.");
        new Select(browser.find("#f-status")).selectByValue("IVPosted");
        browser.type("#f-product", "PX-1");
        browser.find("#adjustment-filter").click();
        browser.waitForText("#adjustments-table", id);

        browser.open(page("/productsearch?organizationId=usmf&target0=productName"
                + "&operator0=Contains&values0=chair"));
        browser.waitForText("#row-count", "2 rows");
        assertThat(onHandByProduct()).containsEntry("PX-1", "11").containsEntry("PX-2", "3");
    }

    @Test
    void logHistory_showsTheLinesOfTheChangesWithTheirAuthors_filtered() {
        String id = "console-adj-" + env.substring(env.length() - 8);
        browser.open(page("/adjustments"));
        fillAdjustment(id, "PX-1", "-2");
        browser.find("#adjustment-post").click();
        browser.waitForText("[role=status]", "posted and applied to on-hand");

        browser.open(page("/log-history"));
        browser.type("#l-org", ORG);
        browser.type("#l-product", "PX-1");
        browser.find("#log-show").click();
        browser.waitForText("#log-count", "2 lines.");
        List<Map<String, String>> lines = logLines();
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .containsEntry("Event", "adjustment:" + id)
                        .containsEntry("API", "console/adjustments")
                        .containsEntry("Client", IvsClient.ADMIN_ID)
                        .containsEntry("Product", "PX-1")
                        .containsEntry("Quantities", "pos.inbound=-2"))
                .anySatisfy(line -> assertThat(line)
                        .containsEntry("Event", "stock-PX-1")
                        .containsEntry("Client", stockWriter)
                        .containsEntry("Quantities", "pos.inbound=7"));
        assertThat(lines).allSatisfy(line -> assertThat(line).containsEntry("Product", "PX-1"));
        browser.screenshots("log-history");

        // Another product's and another site's lines are filtered out.
        browser.type("#l-product", "PX-2");
        browser.find("#log-show").click();
        browser.waitForText("#log-count", "1 line.");
        assertThat(logLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .containsEntry("Event", "stock-PX-2")
                        .containsEntry("Client", stockWriter));
        browser.find("#l-product").clear();
        browser.type("#l-site", "2");
        browser.find("#log-show").click();
        browser.waitForText("#log-count", "0 lines.");
        assertThat(browser.driver.findElements(By.id("log-table"))).isEmpty();
    }

    @Test
    void keyboardOnly_searchThenPostAnAdjustment() {
        browser.open(page("/productsearch"));
        browser.find("body").sendKeys(Keys.TAB);
        WebElement skip = browser.driver.switchTo().activeElement();
        assertThat(skip.getText()).isEqualTo("Skip to content");
        skip.sendKeys(Keys.ENTER);
        tabTo("organizationId").sendKeys(ORG);
        tabTo("values0").sendKeys("chair" + Keys.ENTER);
        browser.waitForText("#row-count", "2 rows");
        assertThat(onHandByProduct()).containsEntry("PX-1", "7");
        // The results are one stop further, so a keyboard user can scroll a wide table.
        tabTo("run-search");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("aria-label"))
                .isEqualTo("Search results");

        browser.open(page("/adjustments"));
        browser.find("body").sendKeys(Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        tabTo("a-org").sendKeys(ORG + Keys.TAB);
        active().sendKeys("PX-2" + Keys.TAB);
        active().sendKeys("1" + Keys.TAB);
        active().sendKeys("11" + Keys.TAB);
        active().sendKeys("pos" + Keys.TAB);
        active().sendKeys("inbound" + Keys.TAB);
        active().sendKeys("5" + Keys.ENTER);
        browser.waitForText("[role=status]", "posted and applied to on-hand");
        assertThat(browser.find("#adjustments-table").getText()).contains("PX-2", "IVPosted");
    }

    @Test
    void threePages_haveNoSeriousAccessibilityViolation() {
        browser.open(page("/adjustments"));
        fillAdjustment("console-a11y", "PX-3", "1");
        browser.find("#adjustment-post").click();
        browser.waitForText("[role=status]", "posted");
        List<String> pages = List.of(
                "/productsearch",
                "/productsearch?organizationId=usmf&target0=productName&operator0=Contains"
                        + "&values0=chair&target1=attribute&attribute1=color"
                        + "&operator1=IsOneOf&values1=red",
                "/productsearch?organizationId=usmf&target0=itemNumber&operator0=Between"
                        + "&values0=PX-1",
                "/adjustments",
                "/log-history",
                "/log-history?organizationId=usmf&productId=PX-3");
        List<String> serious = new ArrayList<>();
        for (String path : pages) {
            browser.open(page(path));
            browser.find("main");
            serious.addAll(browser.seriousAccessibilityViolations(path).stream()
                    .map(v -> path + ": " + v)
                    .toList());
        }
        assertThat(serious).isEmpty();
    }

    private String page(String path) {
        return "/console/env/" + env + path;
    }

    private WebElement active() {
        return browser.driver.switchTo().activeElement();
    }

    /** Presses Tab until the element with this id has the focus (at most 30 times). */
    private WebElement tabTo(String id) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            WebElement focused = active();
            if (id.equals(focused.getAttribute("id"))) {
                return focused;
            }
            seen.add(focused.getTagName() + "#" + focused.getAttribute("id"));
            focused.sendKeys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached #" + id + "; it went " + seen);
    }

    private void fillAdjustment(String id, String product, String quantity) {
        browser.type("#a-id", id);
        browser.type("#a-org", ORG);
        browser.type("#a-product", product);
        browser.type("#a-site", "1");
        browser.type("#a-location", "11");
        browser.type("#a-ds", "pos");
        browser.type("#a-measure", "inbound");
        browser.type("#a-qty", quantity);
        browser.type("#a-journal", "IMov");
    }

    private WebElement adjustmentRow(String id) {
        return browser.find("#adjustments-table").findElements(By.cssSelector("tbody tr")).stream()
                .filter(tr -> tr.findElement(By.tagName("td")).getText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + id + " in "
                        + browser.find("#adjustments-table").getText()));
    }

    /** Product → pos.inbound of the results table, in the table's order. */
    private Map<String, String> onHandByProduct() {
        List<WebElement> headers =
                browser.driver.findElements(By.cssSelector("#results-table thead th"));
        int column = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (INBOUND.equals(headers.get(i).getAttribute("data-measure"))) {
                column = i;
            }
        }
        assertThat(column).as("a %s column", INBOUND).isNotNegative();
        Map<String, String> onHand = new LinkedHashMap<>();
        for (WebElement tr :
                browser.driver.findElements(By.cssSelector("#results-table tbody tr"))) {
            List<WebElement> cells = tr.findElements(By.cssSelector("th, td"));
            onHand.put(cells.get(1).getText(), cells.get(column).getText());
        }
        return onHand;
    }

    /** The log table's lines, each as column heading → cell text. */
    private List<Map<String, String>> logLines() {
        List<String> headings =
                browser.driver.findElements(By.cssSelector("#log-table thead th")).stream()
                        .map(WebElement::getText)
                        .toList();
        List<Map<String, String>> lines = new ArrayList<>();
        for (WebElement tr : browser.driver.findElements(By.cssSelector("#log-table tbody tr"))) {
            List<WebElement> cells = tr.findElements(By.cssSelector("th, td"));
            Map<String, String> line = new LinkedHashMap<>();
            for (int i = 0; i < headings.size(); i++) {
                line.put(headings.get(i), cells.get(i).getText());
            }
            lines.add(line);
        }
        return lines;
    }

    /** Three products (two chairs, one with a colour) and their stock, from a writer client. */
    private void loadCatalogueAndStock() {
        IvsClient.Response loaded = client.post(api("/products/bulk"), """
                [{"organizationId": "usmf", "itemNumber": "PX-1", "productName": "Deluxe Chair",
                  "attributes": [{"attributeName": "Color", "attributeArea": "DimensionAttribute",
                                  "attributeValues": ["red"]}]},
                 {"organizationId": "usmf", "itemNumber": "PX-2", "productName": "Basic Chair"},
                 {"organizationId": "usmf", "itemNumber": "PX-3", "productName": "Oak Table"}]""");
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "environments", List.of(env),
                        "roles", List.of("inventory.write"),
                        "description", "stock loader")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        stockWriter = created.json().path("clientId").asString();
        IvsClient writer = client.withToken(client.accessToken(
                stockWriter, created.json().path("clientSecret").asString(), env));
        List<Map<String, Object>> stock = new ArrayList<>();
        Map.of("PX-1", 7, "PX-2", 3, "PX-3", 5)
                .forEach((product, quantity) -> stock.add(QueryTestSupport.event(
                        "stock-" + product,
                        ORG,
                        product,
                        QueryTestSupport.dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        quantity)));
        IvsClient.Response posted = writer.post(api("/onhand/bulk"), IvsClient.json(stock));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    }
}
