package io.ivs.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.RecordKey;
import io.ivs.server.reservation.ReservationTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * The change feed: contents after mixed operations with every number checked, commit order when
 * transactions commit out of order, long polling, Server-Sent Events, retention and validation, and
 * a concurrent run in which a consumer must see every committed change once.
 */
class ChangeFeedIntegrationTest extends ReservationTestSupport {
    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    ChangeFeedRetention retention;

    private JsonNode page(String query) {
        IvsClient.Response response = client.get(api("/changes" + query));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Every change after {@code after}, reading pages of {@code limit} until none is left. */
    private List<JsonNode> readAll(String after, int limit) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = after;
        while (true) {
            JsonNode page = page("?limit=" + limit + (cursor == null ? "" : "&after=" + cursor));
            page.path("changes").forEach(all::add);
            cursor = page.path("next").asString();
            if (!page.path("hasMore").asBoolean()) {
                return all;
            }
        }
    }

    private List<JsonNode> settledFeed() {
        sequencer.sequenceNow();
        return readAll(null, 1000);
    }

    private static String value(JsonNode change, String ds, String measure) {
        JsonNode value = change.path("quantities").path(ds).path(measure);
        return value.isMissingNode() ? null : value.decimalValue().toPlainString();
    }

    @Test
    void feed_mixedOperations_everyChangeInCommitOrderWithCalculatedValues() {
        configureAfr();
        Map<String, Object> red = level("red", null);
        stock("e1", "P1", red, "erp", "unrestricted", 10);
        stock("e2", "P1", red, "pos", "outbound", 3);
        stock("e2", "P1", red, "pos", "outbound", 3); // a retry: no change, no feed row
        String reservation = reserveOk(reserveBody("r1", "P1", red, 4, true));
        IvsClient.Response set = client.post(
                api("/setonhand/pos/bulk"),
                IvsClient.json(List.of(IvsClient.map(
                        "id",
                        "s1",
                        "organizationId",
                        ORG,
                        "productId",
                        "P2",
                        "dimensions",
                        level("blue", null),
                        "quantities",
                        IvsClient.map("pos", IvsClient.map("inbound", 20))))));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        IvsClient.Response undo = unreserve(unreserveBody("u1", "P1", red, reservation, 1));
        assertThat(undo.status()).as(undo.body()).isEqualTo(200);

        List<JsonNode> feed = settledFeed();

        assertThat(feed).hasSize(5);
        for (int i = 1; i < feed.size(); i++) {
            assertThat(feed.get(i).path("position").asLong())
                    .isGreaterThan(feed.get(i - 1).path("position").asLong());
        }
        assertThat(feed).allSatisfy(c -> {
            assertThat(c.path("kind").asString()).isEqualTo("onhand");
            assertThat(c.path("organizationId").asString()).isEqualTo(ORG);
            assertThat(c.path("committedAt").asString()).isNotBlank();
        });
        JsonNode first = feed.get(0);
        assertThat(first.path("productId").asString()).isEqualTo("P1");
        assertThat(first.path("dimensions").path("siteid").asString()).isEqualTo("1");
        assertThat(first.path("dimensions").path("locationid").asString()).isEqualTo("11");
        assertThat(first.path("dimensions").path("ColorId").asString()).isEqualTo("red");
        assertThat(value(first, "erp", "unrestricted")).isEqualTo("10");
        assertThat(value(first, "iv", "availabletoreserve")).isEqualTo("10");
        assertThat(value(feed.get(1), "pos", "outbound")).isEqualTo("3");
        assertThat(value(feed.get(1), "iv", "availabletoreserve")).isEqualTo("7");
        assertThat(value(feed.get(2), "iv", "softreservphysical")).isEqualTo("4");
        assertThat(value(feed.get(2), "iv", "availabletoreserve")).isEqualTo("3");
        assertThat(feed.get(3).path("productId").asString()).isEqualTo("P2");
        assertThat(value(feed.get(3), "pos", "inbound")).isEqualTo("20");
        assertThat(value(feed.get(3), "iv", "availabletoreserve")).isEqualTo("20");
        assertThat(value(feed.get(4), "iv", "softreservphysical")).isEqualTo("3");
        assertThat(value(feed.get(4), "iv", "availabletoreserve")).isEqualTo("4");
        // The feed's last values are the values a query answers now.
        assertThat(at("P1", red))
                .containsEntry("iv.availabletoreserve", "4")
                .containsEntry("iv.softreservphysical", "3");

        // Reading on from the last cursor finds nothing new; pages of 2 give the same sequence.
        JsonNode rest = page("?after=" + feed.get(4).path("position").asLong());
        assertThat(rest.path("changes")).isEmpty();
        assertThat(rest.path("next").asString())
                .isEqualTo(Long.toString(feed.get(4).path("position").asLong()));
        assertThat(readAll(null, 2)).isEqualTo(feed);
    }

    @Test
    void feed_schedulesAndAllocation_eachGiveAChangeRecord() {
        configure(document -> {
            ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
            schedule.put("isScheduleEnabled", true);
            schedule.put("schedulePeriodInDays", 7);
            schedule.putArray("atpCalculatedMeasures").add("iv.onhand");
            calculated(
                    (ObjectNode) document.get("inventorySystemConfigurations").get("iv"),
                    "onhand",
                    new String[] {"pos.inbound"},
                    new String[] {"pos.outbound"});
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode iv =
                    (ObjectNode) document.get("inventorySystemConfigurations").get("@iv");
            ((ObjectNode) iv.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(iv, "@available_to_allocate", new String[] {"pos.inbound"}, new String[] {
                "@iv.@allocated"
            });
        });
        Map<String, Object> red = level("red", null);
        stock("e1", "Bike", red, "pos", "inbound", 20);
        String date =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();
        IvsClient.Response scheduled = client.post(
                api("/onhand/changeschedule"),
                IvsClient.json(IvsClient.map(
                        "id",
                        "s1",
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        red,
                        "quantitiesByDate",
                        IvsClient.map(date, IvsClient.map("pos", IvsClient.map("outbound", 4))))));
        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
        IvsClient.Response allocated = client.post(
                api("/allocation/allocate"),
                IvsClient.json(IvsClient.map(
                        "id",
                        "a1",
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        red,
                        "groups",
                        IvsClient.map("channel", "Online", "customerGroup", "VIP", "region", "US"),
                        "quantity",
                        6)));
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(200);

        List<JsonNode> feed = settledFeed();

        assertThat(feed)
                .extracting(c -> c.path("kind").asString())
                .containsExactly("onhand", "schedule", "onhand");
        JsonNode schedule = feed.get(1);
        assertThat(schedule.path("schedule")
                        .path("pos")
                        .path("outbound")
                        .path(date)
                        .asInt())
                .isEqualTo(4);
        assertThat(schedule.has("quantities")).isFalse();
        JsonNode allocation = feed.get(2);
        assertThat(value(allocation, "@iv", "@allocated")).isEqualTo("6");
        assertThat(value(allocation, "@iv", "@available_to_allocate")).isEqualTo("14");
        assertThat(value(allocation, "pos", "inbound")).isEqualTo("20");
    }

    @Test
    void feed_partitionDeleted_reportsEveryRecordAsDeleted() {
        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        stock("e2", "P1", level("blue", null), "pos", "inbound", 2);
        IvsClient.Response deleted = client.delete(api("/cleanupalldata"), null);
        assertThat(deleted.status()).as(deleted.body()).isBetween(200, 204);

        List<JsonNode> feed = settledFeed();

        assertThat(feed).hasSize(4);
        assertThat(feed.subList(2, 4)).allSatisfy(c -> {
            assertThat(c.path("kind").asString()).isEqualTo("deleted");
            assertThat(c.has("quantities")).isFalse();
        });
        assertThat(feed.subList(2, 4).stream()
                        .map(c -> c.path("dimensions").path("ColorId").asString())
                        .toList())
                .containsExactlyInAnyOrder("red", "blue");
    }

    /**
     * A transaction that takes its change id first but commits last: a consumer that already
     * read past the later change must still get the early one, after it commits.
     */
    @Test
    void feed_transactionsCommitOutOfOrder_consumerMissesNothing() throws Exception {
        stock("e0", "P0", level("red", null), "pos", "inbound", 1);
        List<JsonNode> before = settledFeed();
        assertThat(before).hasSize(1);
        long cursor = before.get(0).path("position").asLong();

        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            insertRecord(slow, "P-slow", 7);
            Instant slowWritten = writtenAt(slow);

            // A later transaction commits while the slow one is open.
            stock("e1", "P1", level("red", null), "pos", "inbound", 5);
            sequencer.sequenceNow();
            JsonNode first = page("?after=" + cursor);
            assertThat(first.path("changes")).hasSize(1);
            assertThat(first.path("changes").get(0).path("productId").asString())
                    .isEqualTo("P1");
            Instant fastWritten = jdbc.queryForObject(
                            "select max(written_at) from feed_change where environment_id = ?"
                                    + " and product_id = 'P1'",
                            java.sql.Timestamp.class,
                            env)
                    .toInstant();
            // The slow transaction really wrote first and commits later.
            assertThat(slowWritten).isBefore(fastWritten);
            cursor = first.path("next").asLong();

            slow.commit();
        }
        sequencer.sequenceNow();
        JsonNode second = page("?after=" + cursor);
        assertThat(second.path("changes")).hasSize(1);
        JsonNode late = second.path("changes").get(0);
        assertThat(late.path("productId").asString()).isEqualTo("P-slow");
        assertThat(value(late, "pos", "inbound")).isEqualTo("7");
        assertThat(late.path("position").asLong()).isGreaterThan(cursor);
    }

    private void insertRecord(Connection con, String product, int quantity) throws Exception {
        var key = RecordKey.productKey(EnvironmentId.of(env), ORG, product);
        try (PreparedStatement ps = con.prepareStatement(
                "insert into onhand_record (product_key, record_key, environment_id,"
                        + " organization_id, product_id, partition_id, site_id, location_id,"
                        + " dimensions) values (?, 'locationid=11\u001fsiteid=1', ?, ?, ?,"
                        + " 'usmf~1~11', '1', '11',"
                        + " '{\"siteid\": \"1\", \"locationid\": \"11\"}')")) {
            ps.setObject(1, key);
            ps.setString(2, env);
            ps.setString(3, ORG);
            ps.setString(4, product);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = con.prepareStatement(
                "insert into onhand_quantity (product_key, record_key, measure, quantity)"
                        + " values (?, 'locationid=11\u001fsiteid=1', 'pos.inbound', ?)")) {
            ps.setObject(1, key);
            ps.setInt(2, quantity);
            ps.executeUpdate();
        }
    }

    /** When the open transaction wrote its change row. */
    private Instant writtenAt(Connection con) throws Exception {
        try (PreparedStatement ps = con.prepareStatement("select written_at from feed_change"
                + " where environment_id = ? and product_id = 'P-slow' and position is null")) {
            ps.setString(1, env);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    @Test
    void feed_longPoll_answersAsSoonAsAChangeCommits() throws Exception {
        long head = page("?after=latest").path("next").asLong();
        CompletableFuture<IvsClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> client.get(api("/changes?after=" + head + "&wait=20")));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        long posted = System.nanoTime();
        stock("e1", "P1", level("red", null), "pos", "inbound", 2);

        IvsClient.Response answer = waiting.get(20, TimeUnit.SECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("changes")).hasSize(1);
        assertThat(value(answer.json().path("changes").get(0), "pos", "inbound"))
                .isEqualTo("2");
        assertThat(waitedMillis).as("answered long before the 20 s wait").isLessThan(10_000);
    }

    @Test
    void stream_sendsChangesAsServerSentEvents_andResumesFromLastEventId() throws Exception {
        long head = page("?after=latest").path("next").asLong();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + api("/changes/stream?after=" + head)))
                .header("Authorization", "Bearer " + client.adminToken(env))
                .build();
        HttpResponse<InputStream> response =
                http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/event-stream");

        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        stock("e2", "P1", level("red", null), "pos", "inbound", 2);
        List<Map<String, String>> events;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            events = readEvents(reader, 2);
        }
        assertThat(events).extracting(e -> e.get("event")).containsExactly("change", "change");
        JsonNode second = IvsClient.parse(events.get(1).get("data"));
        assertThat(value(second, "pos", "inbound")).isEqualTo("3");
        assertThat(events.get(1).get("id")).isEqualTo(second.path("position").asString());

        // Reconnecting with Last-Event-ID of the first event sends the second one again.
        HttpRequest resume = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + api("/changes/stream")))
                .header("Authorization", "Bearer " + client.adminToken(env))
                .header("Last-Event-ID", events.get(0).get("id"))
                .build();
        HttpResponse<InputStream> resumed =
                http.send(resume, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8))) {
            List<Map<String, String>> again = readEvents(reader, 1);
            assertThat(again.get(0).get("id")).isEqualTo(events.get(1).get("id"));
        }
    }

    /** Reads {@code count} events (comments skipped) within 20 seconds. */
    private static List<Map<String, String>> readEvents(BufferedReader reader, int count)
            throws Exception {
        ExecutorService reading = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<List<Map<String, String>>> events = reading.submit(() -> {
                List<Map<String, String>> out = new ArrayList<>();
                Map<String, String> current = new HashMap<>();
                String line;
                while (out.size() < count && (line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!current.isEmpty()) {
                            out.add(current);
                            current = new HashMap<>();
                        }
                    } else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        current.merge(
                                line.substring(0, colon),
                                line.substring(colon + 1).stripLeading(),
                                (a, b) -> a + "\n" + b);
                    }
                }
                return out;
            });
            List<Map<String, String>> result = events.get(20, TimeUnit.SECONDS);
            assertThat(result).hasSize(count);
            return result;
        } finally {
            reading.shutdownNow();
        }
    }

    @Test
    void positionsWhoseRowsAreNotAllVisible_areNotPublished_untilTheyAre() {
        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        long head = settledFeed().getLast().path("position").asLong();
        // As if a sequencing step had numbered a row on a worker that failed between the two
        // phases of its commit: the position is handed out, its row not visible yet.
        jdbc.update("update change_feed_state set last_position = last_position + 1");
        long missing = head + 1;
        stock("e2", "P1", level("red", null), "pos", "inbound", 2);
        sequencer.sequenceNow();
        assertThat(jdbc.queryForObject(
                        "select position from feed_change where environment_id = ?"
                                + " and position > ?",
                        Long.class,
                        env,
                        missing))
                .as("e2's change is numbered after the missing position")
                .isEqualTo(missing + 1);
        assertThat(page("?after=" + head).path("changes"))
                .as("nothing past a position whose row is not visible is published")
                .isEmpty();

        // Citus's recovery commits the worker's part: the row appears, and the next round
        // publishes both, in position order.
        jdbc.update(
                "insert into feed_change (product_key, seq, environment_id, written_at, position,"
                        + " committed_at, record_key, organization_id, product_id, dimensions,"
                        + " kind, quantities, schedule, alert)"
                        + " select product_key, nextval('change_seq'), environment_id, written_at,"
                        + " ?, committed_at, record_key, organization_id, product_id, dimensions,"
                        + " kind, quantities, schedule, alert from feed_change"
                        + " where environment_id = ? and position = ?",
                missing,
                env,
                missing + 1);
        sequencer.sequenceNow();
        JsonNode changes = page("?after=" + head).path("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).path("position").asLong()).isEqualTo(missing);
        assertThat(changes.get(1).path("position").asLong()).isEqualTo(missing + 1);
        assertThat(value(changes.get(1), "pos", "inbound")).isEqualTo("3");
    }

    /**
     * Adds copies of the change at {@code position} as rows waiting for their positions, with
     * the given seqs and times of writing, in one statement: the background sequencer sees all
     * of them or none. (One multi-row insert of values: Citus cannot run an insert that selects
     * from the distributed table joined with an array's rows.)
     */
    private void waiting(long position, Long[] seqs, String[] writtenAt) {
        Map<String, Object> c = jdbc.queryForMap(
                "select product_key, environment_id, record_key, organization_id, product_id,"
                        + " dimensions::text as dimensions, kind, quantities::text as quantities"
                        + " from feed_change where environment_id = ? and position = ?",
                env,
                position);
        List<Object> args = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < seqs.length; i++) {
            rows.add("(?, ?, ?, ?::timestamptz, ?, ?, ?, ?::jsonb, ?, ?::jsonb)");
            args.addAll(List.of(
                    c.get("product_key"),
                    seqs[i],
                    c.get("environment_id"),
                    writtenAt[i],
                    c.get("record_key"),
                    c.get("organization_id"),
                    c.get("product_id"),
                    c.get("dimensions"),
                    c.get("kind"),
                    c.get("quantities")));
        }
        jdbc.update(
                "insert into feed_change (product_key, seq, environment_id, written_at,"
                        + " record_key, organization_id, product_id, dimensions, kind,"
                        + " quantities) values " + String.join(", ", rows),
                args.toArray());
    }

    private List<Long> seqsInPositionOrder(long after) {
        return jdbc.queryForList(
                "select seq from feed_change where environment_id = ? and position > ?"
                        + " order by position",
                Long.class,
                env,
                after);
    }

    @Test
    void sequencer_numbersEachNodesRowsInSeqOrder_interleavingNodesByTimeOfWriting() {
        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        long head = settledFeed().getLast().path("position").asLong();
        long node1 = 1L << 48;
        long node2 = 2L << 48;
        // Node 1's clock stepped back between its first two rows: its second row still comes
        // after its first (seq order on a node), at the first one's time.
        waiting(
                head,
                new Long[] {node1 + 1, node1 + 2, node1 + 3, node2 + 1, node2 + 2},
                new String[] {
                    "2026-12-07T10:00:00.010Z",
                    "2026-12-07T10:00:00.005Z",
                    "2026-12-07T10:00:00.030Z",
                    "2026-12-07T10:00:00.020Z",
                    "2026-12-07T10:00:00.025Z"
                });

        // This round, or the background one that may have run first, numbers all five.
        sequencer.sequenceNow();

        assertThat(seqsInPositionOrder(head))
                .containsExactly(node1 + 1, node1 + 2, node2 + 1, node2 + 2, node1 + 3);
        assertThat(page("?after=" + head).path("changes"))
                .extracting(c -> c.path("position").asLong())
                .containsExactly(head + 1, head + 2, head + 3, head + 4, head + 5);
    }

    @Test
    void sequencer_aBacklogOfSeveralSteps_isNumberedDenselyInSeqOrder() {
        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        long head = settledFeed().getLast().path("position").asLong();
        int backlog = ChangeSequencer.BATCH * 2 + 500;
        jdbc.update(
                "insert into feed_change (product_key, environment_id, record_key,"
                        + " organization_id, product_id, dimensions, kind, quantities)"
                        + " select product_key, environment_id, record_key, organization_id,"
                        + " product_id, dimensions, kind, quantities"
                        + " from feed_change, generate_series(1, ?)"
                        + " where environment_id = ? and position = ?",
                backlog,
                env,
                head);

        sequencer.sequenceNow();

        List<Long> seqs = seqsInPositionOrder(head);
        assertThat(seqs).hasSize(backlog).isSorted();
        assertThat(jdbc.queryForObject(
                        "select max(position) - min(position) + 1 from feed_change"
                                + " where environment_id = ? and position > ?",
                        Long.class,
                        env,
                        head))
                .as("dense positions")
                .isEqualTo(backlog);
        assertThat(readAll(String.valueOf(head), 1000)).hasSize(backlog);
    }

    @Test
    void retention_removesOldChanges_andAnExpiredCursorIsRefusedWith410() {
        stock("e1", "P1", level("red", null), "pos", "inbound", 1);
        List<JsonNode> feed = settledFeed();
        long position = feed.getLast().path("position").asLong();

        assertThat(retention.prune(Instant.now().plus(Duration.ofDays(1)))).isPositive();

        IvsClient.Response expired = client.get(api("/changes?after=" + (position - 1)));
        assertThat(expired.status()).as(expired.body()).isEqualTo(410);
        assertThat(expired.json().path("message").asString()).contains("retention");
        // Without a cursor the feed starts at what is retained: nothing, but no error.
        assertThat(page("").path("changes")).isEmpty();
        stock("e2", "P1", level("red", null), "pos", "inbound", 1);
        assertThat(settledFeed()).hasSize(1);

        // What retention removed is tracked per environment: a new environment's cursor 0 is fine.
        String other = env + "-other";
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        env = other;
        stock("e1", "P1", level("red", null), "pos", "inbound", 3);
        sequencer.sequenceNow();
        IvsClient.Response fresh = client.get(api("/changes?after=0"));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.json().path("changes")).hasSize(1);
    }

    @Test
    void changes_badParameters_answer400NamingTheParameter() {
        assertThat(client.get(api("/changes?limit=0")).body()).contains("limit");
        assertThat(client.get(api("/changes?limit=0")).status()).isEqualTo(400);
        assertThat(client.get(api("/changes?limit=1001")).status()).isEqualTo(400);
        assertThat(client.get(api("/changes?after=abc")).status()).isEqualTo(400);
        assertThat(client.get(api("/changes?after=abc")).body()).contains("after");
        assertThat(client.get(api("/changes?after=-5")).status()).isEqualTo(400);
        assertThat(client.get(api("/changes?wait=31")).status()).isEqualTo(400);
        assertThat(client.get(api("/changes?wait=31")).body()).contains("wait");
        assertThat(client.withoutAuth().get(api("/changes")).status()).isEqualTo(401);
        IvsClient.Response unknown = client.get("/api/environment/no-such-env/changes");
        assertThat(unknown.status()).as(unknown.body()).isIn(403, 404);
    }

    /**
     * Eight writers post changes to a few hot records while a consumer reads the feed the
     * whole time. The consumer must see every committed change once, in increasing position,
     * and its last value per record must be the value stored.
     */
    @Test
    void feed_concurrentWriters_consumerSeesEveryChangeOnceAndEndsAtTheStoredValues()
            throws Exception {
        int writers = 8;
        int requestsPerWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        long head = page("?after=latest").path("next").asLong();
        List<Future<?>> posting = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            posting.add(pool.submit(() -> {
                for (int r = 0; r < requestsPerWriter; r++) {
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (int color = 0; color < 3; color++) {
                        events.add(event(
                                "w" + writer + "-" + r + "-" + color,
                                ORG,
                                "P" + (r % 2),
                                level("c" + color, null),
                                "pos",
                                "inbound",
                                1));
                    }
                    postAll(events);
                }
            }));
        }
        List<JsonNode> seen = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean settled =
                new java.util.concurrent.atomic.AtomicBoolean();
        Future<?> consuming = pool.submit(() -> {
            long cursor = head;
            while (!settled.get() || cursor < feedHead()) {
                JsonNode page = page("?after=" + cursor + "&limit=50&wait=1");
                page.path("changes").forEach(seen::add);
                cursor = page.path("next").asLong();
            }
        });
        for (Future<?> f : posting) {
            f.get(120, TimeUnit.SECONDS);
        }
        sequencer.sequenceNow();
        settled.set(true);
        consuming.get(120, TimeUnit.SECONDS);
        pool.shutdown();

        long rows = jdbc.queryForObject(
                "select count(*) from feed_change where environment_id = ?", Long.class, env);
        assertThat(seen).hasSize((int) rows);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).path("position").asLong())
                    .isGreaterThan(seen.get(i - 1).path("position").asLong());
        }
        // Concurrent requests may be written in one transaction (the on-hand combiner), and a
        // transaction gives a record one change. So each change of a record adds at least one
        // request's unit and at most what one transaction can hold: 32 events of 3 per request.
        int mostRequestsPerTransaction = OnHandService.COMBINED_CHANGES_MAX / 3;
        Map<String, String> last = new LinkedHashMap<>();
        for (JsonNode change : seen) {
            String record = change.path("productId").asString() + "/"
                    + change.path("dimensions").path("ColorId").asString();
            String now = value(change, "pos", "inbound");
            int step = Integer.parseInt(now) - Integer.parseInt(last.getOrDefault(record, "0"));
            assertThat(step)
                    .as("the change of %s to %s", record, now)
                    .isBetween(1, mostRequestsPerTransaction);
            last.put(record, now);
        }
        assertThat(last).hasSize(6);
        int total = 0;
        for (int p = 0; p < 2; p++) {
            for (int color = 0; color < 3; color++) {
                String stored = at("P" + p, level("c" + color, null)).get("pos.inbound");
                assertThat(last.get("P" + p + "/c" + color)).isEqualTo(stored);
                total += Integer.parseInt(stored);
            }
        }
        assertThat(total).isEqualTo(writers * requestsPerWriter * 3);
    }

    /** The highest position of this environment's sequenced changes. */
    private long feedHead() {
        Long head = jdbc.queryForObject(
                "select coalesce(max(position), 0) from feed_change where environment_id = ?",
                Long.class,
                env);
        return head == null ? 0 : head;
    }
}
