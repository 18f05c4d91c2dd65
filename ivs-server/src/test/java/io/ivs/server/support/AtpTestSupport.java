package io.ivs.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

/**
 * Base of the HTTP tests of change schedules and ATP (spec part A): IVS on a random port over real
 * PostgreSQL, with a {@link SettableClock} as its clock, set to 2022-02-01 (the date of the
 * spec's examples) before every test. Importing the clock makes a Spring context of its own, so
 * it gets its own data directory: the embedded PostgreSQL of the other HTTP tests' context keeps
 * a lock on theirs. Every test works in its own new environment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SettableClock.Config.class)
public abstract class AtpTestSupport {
    protected static final LocalDate FEB_1 = LocalDate.of(2022, 2, 1);
    protected static final String ORG = "usmf";
    protected static final String BIKE = "Bike";

    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    protected int port;

    @Autowired
    protected SettableClock clock;

    @Autowired
    private DataSource dataSource;

    protected IvsClient client;
    protected String env;

    @DynamicPropertySource
    static void atpProperties(DynamicPropertyRegistry registry) {
        registry.add("ivs.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void newEnvironmentOnFebruaryFirst() {
        clock.setDate(FEB_1);
        client = new IvsClient(port);
        env = "atp-" + UUID.randomUUID();
        IvsClient.Response created = client.put("/admin/environments/" + env, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    protected String api(String path) {
        return "/api/environment/" + env + path;
    }

    /** The environment's active configuration document. */
    protected ObjectNode configuration() {
        IvsClient.Response response = client.get(api("/configuration"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (ObjectNode) response.json();
    }

    protected IvsClient.Response hardUpdate(ObjectNode document) {
        return client.post(api("/configuration/hardupdate"), IvsClient.json(document));
    }

    /** Edits the active configuration and posts it back; the update must succeed. */
    protected void configure(Consumer<ObjectNode> edit) {
        ObjectNode document = configuration();
        edit.accept(document);
        IvsClient.Response response = hardUpdate(document);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** A data source node of a configuration document. */
    protected static ObjectNode source(ObjectNode document, String name) {
        return (ObjectNode) document.get("inventorySystemConfigurations").get(name);
    }

    /** The {@code scheduleConfiguration} node of a configuration document. */
    protected static ObjectNode schedule(ObjectNode document) {
        return (ObjectNode) document.get("scheduleConfiguration");
    }

    /**
     * Adds {@code iv.onhand = pos.inbound − pos.outbound} (the measure of spec A.6.2) and switches
     * schedules on with period {@code periodDays}, that one ATP measure and the shipped ATP index
     * set ColorId + SizeId.
     */
    protected static void onHandAtp(ObjectNode document, int periodDays) {
        HttpTestSupport.calculated(
                source(document, "iv"), "onhand", new String[] {"pos.inbound"}, new String[] {
                    "pos.outbound"
                });
        ObjectNode schedule = schedule(document);
        schedule.put("isScheduleEnabled", true);
        schedule.put("schedulePeriodInDays", periodDays);
        ArrayNode measures = schedule.putArray("atpCalculatedMeasures");
        measures.add("iv.onhand");
    }

    /** Configures {@link #onHandAtp} with period {@code periodDays}. */
    protected void enableOnHandAtp(int periodDays) {
        configure(document -> onHandAtp(document, periodDays));
    }

    /** The dimensions of the spec's bike: site 1, location 11, Red, Small. */
    protected static Map<String, Object> bikeDimensions() {
        return IvsClient.map(
                "SiteId", "1", "LocationId", "11", "ColorId", "Red", "SizeId", "Small");
    }

    /** {@code date → ds → measure → quantity} with one entry. */
    protected static Map<String, Object> on(String date, String ds, String measure, Object qty) {
        return IvsClient.map(date, IvsClient.map(ds, IvsClient.map(measure, qty)));
    }

    /** A change schedule body for the bike. */
    protected static Map<String, Object> scheduleBody(String id, Map<String, Object> byDate) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                bikeDimensions(),
                "quantitiesByDate",
                byDate);
    }

    protected IvsClient.Response postSchedule(Object body) {
        return client.post(api("/onhand/changeschedule"), IvsClient.json(body));
    }

    /** Posts a bike schedule of one quantity; it must be accepted. */
    protected void scheduleOk(String id, String date, String ds, String measure, Object qty) {
        IvsClient.Response response = postSchedule(scheduleBody(id, on(date, ds, measure, qty)));
        assertSuccess(response, id);
    }

    /** Posts an on-hand change event for the bike; it must be accepted. */
    protected void onHandOk(String id, String ds, String measure, Object qty) {
        Map<String, Object> event = IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                bikeDimensions(),
                "quantities",
                IvsClient.map(ds, IvsClient.map(measure, qty)));
        IvsClient.Response response = client.post(api("/onhand"), IvsClient.json(event));
        assertSuccess(response, id);
    }

    /** The bike index query of the doc (A.4.1) with {@code extra} JSON members appended. */
    protected static String bikeQuery(String extra) {
        String members = extra.isEmpty() ? "" : ", " + extra;
        return """
                {"filters": {"organizationId": ["usmf"], "productId": ["Bike"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["ColorId", "SizeId"]%s}""".formatted(members);
    }

    /** The members {@code QueryATP: true} with {@code ATPFromDate} and {@code ATPToDate}. */
    protected static String atpRange(String from, String to) {
        return "\"QueryATP\": true, \"ATPFromDate\": \"%s\", \"ATPToDate\": \"%s\""
                .formatted(from, to);
    }

    protected IvsClient.Response indexQuery(String body) {
        return client.post(api("/onhand/indexquery"), body);
    }

    /** An index query that must succeed; its rows. */
    protected JsonNode rows(String body) {
        IvsClient.Response response = indexQuery(body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        assertThat(rows.isArray()).as(response.body()).isTrue();
        return rows;
    }

    /** The only row of an index query that must succeed. */
    protected JsonNode onlyRow(String body) {
        JsonNode rows = rows(body);
        assertThat(rows).as(rows.toString()).hasSize(1);
        return rows.get(0);
    }

    /** A number as a plain string (no trailing zeros), or null when absent. */
    protected static String plain(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        assertThat(value.isNumber()).as("a number: %s", value).isTrue();
        return value.decimalValue().stripTrailingZeros().toPlainString();
    }

    protected static String quantity(JsonNode row, String ds, String measure) {
        return plain(row.path("quantities").path(ds).path(measure));
    }

    /** {@code atpQuantities} of a row for one measure: date key → ATP, in response order. */
    protected static Map<String, String> atp(JsonNode row, String ds, String measure) {
        Map<String, String> series = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> day : row.path("atpQuantities").properties()) {
            series.put(day.getKey(), plain(day.getValue().path(ds).path(measure)));
        }
        return series;
    }

    /** {@code quantitiesByDate} of a row: date key → {@code ds.measure} → quantity. */
    protected static Map<String, Map<String, String>> byDate(JsonNode row) {
        return dated(row.path("quantitiesByDate"));
    }

    /** {@code atpQuantities} of a row: date key → {@code ds.measure} → ATP. */
    protected static Map<String, Map<String, String>> atpByDate(JsonNode row) {
        return dated(row.path("atpQuantities"));
    }

    private static Map<String, Map<String, String>> dated(JsonNode node) {
        assertThat(node.isObject()).as("an object: %s", node).isTrue();
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> day : node.properties()) {
            Map<String, String> measures = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> ds : day.getValue().properties()) {
                for (Map.Entry<String, JsonNode> measure : ds.getValue().properties()) {
                    measures.put(ds.getKey() + "." + measure.getKey(), plain(measure.getValue()));
                }
            }
            out.put(day.getKey(), measures);
        }
        return out;
    }

    /** Date keys {@code 2022-02-dd} as {@code atpQuantities} writes them. */
    protected static String utcKey(String date) {
        return date + "T00:00:00Z";
    }

    /** Date keys {@code 2022-02-dd} as {@code quantitiesByDate} writes them. */
    protected static String dayKey(String date) {
        return date + "T00:00:00";
    }

    protected static void assertSuccess(IvsClient.Response response, String id) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("success");
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        assertThat(body.path("id").asString()).as(response.body()).isEqualTo(id);
    }

    /** Asserts an IV failure envelope with the given status whose message contains the parts. */
    protected static void assertFailure(
            IvsClient.Response response, int status, String... messageParts) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertFailureItem(response.json(), status, messageParts);
    }

    /** Asserts one failure envelope (a whole answer or an item of a bulk answer). */
    protected static void assertFailureItem(JsonNode item, int status, String... messageParts) {
        assertThat(item.path("processingStatus").asString())
                .as(item.toString())
                .isEqualTo("failure");
        assertThat(item.path("statusCode").asInt()).as(item.toString()).isEqualTo(status);
        if (messageParts.length > 0) {
            assertThat(item.path("message").asString()).as(item.toString()).contains(messageParts);
        }
    }

    /**
     * The stored schedule quantity of {@code measure} dated {@code date}, summed over this
     * environment's records; null when no schedule row exists. Read from the database directly,
     * because past-dated schedules are not reported by any API.
     */
    protected BigDecimal storedSchedule(LocalDate date, String measure) {
        return new JdbcTemplate(dataSource)
                .queryForObject(
                        "select sum(q.quantity) from onhand_schedule q join onhand_record r"
                                + " on q.product_key = r.product_key"
                                + " and q.record_key = r.record_key"
                                + " where r.environment_id = ? and q.schedule_date = ?"
                                + " and q.measure = ?",
                        BigDecimal.class,
                        env,
                        date,
                        measure);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ivs-atp-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
