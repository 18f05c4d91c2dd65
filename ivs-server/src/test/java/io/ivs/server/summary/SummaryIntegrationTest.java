package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.config.SummarySettings;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inventory summary and preloaded on-hand (spec §4.1, §4.2) after mixed writes through the API,
 * with the default configuration's calculated measures:
 * {@code iv.availabletoreserve = +pos.inbound +iv.ordered −iv.softreserved −pos.outbound …},
 * {@code iv.totalavailable = +fno.availordered −iv.softreserved −@iv.@allocated},
 * {@code pos.availquantity = +fno.availphysical +pos.inbound −pos.outbound}.
 */
class SummaryIntegrationTest extends SummaryTestSupport {
    /** Longer than a follower round over this test's few changes takes, with room for load. */
    private static final Duration FOLLOWER_ROUND_MAX = Duration.ofSeconds(1);

    @Autowired
    EnvironmentService environments;

    private static final Map<String, Object> RED_M =
            dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "M");
    private static final Map<String, Object> RED_L =
            dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "L");
    private static final Map<String, Object> BLUE =
            dims("siteId", "1", "locationId", "11", "colorId", "blue");
    private static final Map<String, Object> PANTS_SITE = dims("siteId", "2", "locationId", "21");

    /**
     * Changes, a set on-hand that overrides a change, a change after it, a checked reservation
     * (iv.softreserved → iv.availabletoreserve), and a second product.
     */
    private void mixedWrites() {
        configure(document -> ((tools.jackson.databind.node.ObjectNode)
                        document.get("reservConfiguration"))
                .put("isReservEnabled", true));
        change(event("c1", "shirt", RED_M, "pos", "inbound", 10));
        change(event("c2", "shirt", RED_L, "pos", "inbound", 4, "outbound", 1));
        change(event("c3", "shirt", BLUE, "pos", "inbound", 7));
        IvsClient.Response set = client.post(
                api("/setonhand/pos/bulk"),
                IvsClient.json(List.of(event("s1", "shirt", RED_M, "pos", "inbound", 20))));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        change(event("c4", "shirt", RED_M, "pos", "outbound", 3));
        IvsClient.Response reserved = client.post(
                api("/onhand/reserve"),
                IvsClient.json(IvsClient.map(
                        "id",
                        "r1",
                        "organizationId",
                        ORG,
                        "productId",
                        "shirt",
                        "dimensions",
                        RED_M,
                        "quantityDataSource",
                        "iv",
                        "modifier",
                        "softreserved",
                        "quantity",
                        5,
                        "ifCheckAvailForReserv",
                        true)));
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        assertThat(reserved.json().path("processingStatus").asString()).isEqualTo("success");
        change(event("c5", "pants", PANTS_SITE, "iv", "ordered", 6.5));
    }

    private static final List<Row> EXPECTED_SUMMARY = List.of(
            new Row(
                    "pants",
                    d("locationid", "21", "siteid", "2"),
                    q("iv.availabletoreserve", "6.5", "iv.ordered", "6.5"),
                    null),
            new Row(
                    "shirt",
                    d("colorid", "blue", "locationid", "11", "siteid", "1"),
                    q("iv.availabletoreserve", "7", "pos.availquantity", "7", "pos.inbound", "7"),
                    null),
            new Row(
                    "shirt",
                    d("colorid", "red", "locationid", "11", "siteid", "1", "sizeid", "L"),
                    q(
                            "iv.availabletoreserve", "3",
                            "pos.availquantity", "3",
                            "pos.inbound", "4",
                            "pos.outbound", "1"),
                    null),
            new Row(
                    "shirt",
                    d("colorid", "red", "locationid", "11", "siteid", "1", "sizeid", "M"),
                    q(
                            "iv.availabletoreserve", "12",
                            "iv.softreserved", "5",
                            "iv.totalavailable", "-5",
                            "pos.availquantity", "17",
                            "pos.inbound", "20",
                            "pos.outbound", "3"),
                    null));

    /** Preload grouped by site, location and colour: red M and L summed. */
    private static final List<Row> EXPECTED_PRELOAD = List.of(
            new Row(
                    "pants",
                    d("locationid", "21", "siteid", "2"),
                    q("iv.availabletoreserve", "6.5", "iv.ordered", "6.5"),
                    null),
            new Row(
                    "shirt",
                    d("colorid", "blue", "locationid", "11", "siteid", "1"),
                    q("iv.availabletoreserve", "7", "pos.availquantity", "7", "pos.inbound", "7"),
                    null),
            new Row(
                    "shirt",
                    d("colorid", "red", "locationid", "11", "siteid", "1"),
                    q(
                            "iv.availabletoreserve", "15",
                            "iv.softreserved", "5",
                            "iv.totalavailable", "-5",
                            "pos.availquantity", "20",
                            "pos.inbound", "24",
                            "pos.outbound", "4"),
                    null));

    private static List<Row> withoutTimes(List<Row> rows) {
        return rows.stream()
                .map(r -> new Row(r.product(), r.dimensions(), r.quantities(), null))
                .toList();
    }

    @Test
    void periodicRefresh_afterMixedWrites_summaryAndPreloadHoldEveryValue() {
        enable(true, true, "periodic", "ColorId");
        mixedWrites();

        periodic.refreshIfDue(env);

        assertThat(withoutTimes(rows("inventory_summary"))).isEqualTo(EXPECTED_SUMMARY);
        assertThat(withoutTimes(rows("onhand_preload"))).isEqualTo(EXPECTED_PRELOAD);
    }

    /** The preload rows are exactly what the index query answers for the same grouping. */
    @Test
    void preload_equalsTheIndexQueryGroupedTheSameWay() {
        enable(false, true, "periodic", "colorid");
        mixedWrites();
        periodic.refreshIfDue(env);

        IvsClient.Response query = client.post(
                api("/onhand/indexquery"),
                IvsClient.json(Map.of(
                        "filters",
                                Map.of(
                                        "organizationId", List.of(ORG),
                                        "productId", List.of("shirt", "pants")),
                        "groupByValues", List.of("siteId", "locationId", "colorId"),
                        "returnNegative", true)));
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        List<Map<String, String>> fromQuery = new java.util.ArrayList<>();
        for (JsonNode row : query.json()) {
            fromQuery.add(flatten(row.path("quantities")));
        }

        assertThat(rows("onhand_preload").stream().map(Row::quantities).toList())
                .containsExactlyInAnyOrderElementsOf(fromQuery)
                .hasSize(3);
        assertThat(rows("inventory_summary")).isEmpty();
    }

    @Test
    void periodicRefresh_honoursTheSwitchAndTheFrequency() {
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));

        assertThat(periodic.refreshIfDue(env)).isEmpty();
        assertThat(rows("inventory_summary")).isEmpty();

        enable(true, false, "periodic");
        periodic.refreshIfDue(env);
        assertThat(rows("inventory_summary"))
                .singleElement()
                .extracting(Row::quantities)
                .isEqualTo(q(
                        "iv.availabletoreserve",
                        "7",
                        "pos.availquantity",
                        "7",
                        "pos.inbound",
                        "7"));
        assertThat(rows("onhand_preload")).isEmpty();

        change(event("c2", "shirt", BLUE, "pos", "inbound", 1));
        assertThat(periodic.refreshIfDue(env))
                .as("refreshed less than 5 minutes ago")
                .isEmpty();
        assertThat(rows("inventory_summary").get(0).quantities()).containsEntry("pos.inbound", "7");

        ageLastRefresh(Duration.ofMinutes(5).plusSeconds(1));
        periodic.refreshIfDue(env);
        assertThat(rows("inventory_summary").get(0).quantities()).containsEntry("pos.inbound", "8");

        enable(false, false, "periodic");
        change(event("c3", "shirt", BLUE, "pos", "inbound", 1));
        ageLastRefresh(Duration.ofMinutes(60));
        assertThat(periodic.refreshIfDue(env)).as("switched off").isEmpty();
        assertThat(rows("inventory_summary").get(0).quantities()).containsEntry("pos.inbound", "8");
    }

    /** Another instance's lease blocks the refresh until it lapses (that instance died). */
    @Test
    void periodicRefresh_whileAnotherInstanceHoldsTheLease_waitsUntilItLapses() {
        enable(true, false, "periodic");
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));
        jdbc.update(
                "insert into summary_refresh (environment_id, lease_until)"
                        + " values (?, now() + interval '1 minute') on conflict (environment_id)"
                        + " do update set lease_until = excluded.lease_until, refreshed_at = null",
                env);
        jdbc.update("delete from inventory_summary where environment_id = ?", env);

        assertThat(periodic.refreshIfDue(env)).as("leased elsewhere").isEmpty();
        assertThat(rows("inventory_summary")).isEmpty();

        jdbc.update(
                "update summary_refresh set lease_until = now() - interval '1 second'"
                        + " where environment_id = ?",
                env);
        assertThat(periodic.refreshIfDue(env)).isPresent();
        assertThat(rows("inventory_summary")).hasSize(1);
        assertThat(jdbc.queryForObject(
                        "select lease_until is null and refreshed_at is not null"
                                + " from summary_refresh where environment_id = ?",
                        Boolean.class,
                        env))
                .isTrue();
    }

    /** Instances racing for one due refresh: at most one runs it. */
    @Test
    void periodicRefresh_fourConcurrentCallers_atMostOneRuns() throws Exception {
        enable(true, false, "periodic");
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));
        jdbc.update("delete from summary_refresh where environment_id = ?", env);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        java.util.concurrent.atomic.AtomicInteger ran =
                new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (periodic.refreshIfDue(env).isPresent()) {
                    ran.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(ran.get()).isLessThanOrEqualTo(1);
        assertThat(rows("inventory_summary")).hasSize(1);
    }

    @Test
    void refresh_unchangedRow_keepsItsUpdateTime() {
        enable(true, false, "periodic");
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));
        change(event("c2", "shirt", RED_M, "pos", "inbound", 1));
        periodic.refreshIfDue(env);
        List<Row> before = rows("inventory_summary");

        change(event("c3", "shirt", RED_M, "pos", "inbound", 1));
        SummaryRefresher.Counts counts = refresher.refreshAll(env, false, () -> {});

        List<Row> after = rows("inventory_summary");
        assertThat(counts.summaryWritten()).isEqualTo(1);
        assertThat(after.get(0).updatedAt()).isEqualTo(before.get(0).updatedAt());
        assertThat(after.get(1).updatedAt()).isAfter(before.get(1).updatedAt());
        assertThat(after.get(1).quantities()).containsEntry("pos.inbound", "2");
    }

    /**
     * Immediate mode end to end: the change feed follower refreshes each changed product right
     * after its change commits, with no refresh called by the test; periodic mode stops that.
     */
    @Test
    void immediateMode_followsTheChangeFeed_changedProductsRefreshedWithinSeconds()
            throws Exception {
        change(event("c0", "shirt", BLUE, "pos", "inbound", 3));
        enable(true, true, "immediate");
        // The follower's first look refreshes everything, then follows the feed.
        awaitRows("inventory_summary", rows -> rows.size() == 1);
        change(event("c1", "shirt", BLUE, "pos", "inbound", 4));
        change(event("c2", "pants", PANTS_SITE, "pos", "inbound", 2));

        List<Row> summary = awaitRows(
                "inventory_summary",
                rows -> rows.size() == 2
                        && rows.stream()
                                .anyMatch(r -> r.product().equals("shirt")
                                        && "7".equals(r.quantities().get("pos.inbound"))));
        assertThat(summary)
                .extracting(Row::product, r -> r.quantities().get("pos.inbound"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("shirt", "7"),
                        org.assertj.core.groups.Tuple.tuple("pants", "2"));
        assertThat(awaitRows("onhand_preload", rows -> rows.size() == 2))
                .extracting(Row::product, r -> r.quantities().get("pos.inbound"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("shirt", "7"),
                        org.assertj.core.groups.Tuple.tuple("pants", "2"));

        // The periodic job (every 30 s) refreshes a summary that was never refreshed at its next
        // tick, in any mode; if that tick fell in the window below it would hide what the
        // follower does. Recorded as refreshed now, the job leaves it alone for 5 minutes.
        markRefreshedNow();
        enable(true, true, "periodic");
        awaitFollowerSeesPeriodic();
        change(event("c3", "shirt", BLUE, "pos", "inbound", 1));
        Thread.sleep(1_500);
        assertThat(rows("inventory_summary"))
                .as("periodic mode: the feed does not refresh")
                .filteredOn(r -> r.product().equals("shirt"))
                .singleElement()
                .satisfies(r -> assertThat(r.quantities()).containsEntry("pos.inbound", "7"));
        assertThat(refresher.refreshChanged(env, Set.of(productKey("shirt"))))
                .isEqualTo(new SummaryRefresher.Counts(0, 0, 0));
    }

    /** A product that loses one warehouse keeps the rows of the other (immediate refresh). */
    @Test
    void immediateMode_partitionDeleted_removesOnlyThatWarehousesRows() throws Exception {
        enable(true, true, "immediate");
        awaitFollowing();
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));
        change(event(
                "c2",
                "shirt",
                dims("siteId", "2", "locationId", "21", "colorId", "blue"),
                "pos",
                "inbound",
                5));
        awaitRows("inventory_summary", rows -> rows.size() == 2);
        awaitRows("onhand_preload", rows -> rows.size() == 2);

        IvsClient.Response cleanup = client.delete(
                api("/partitions/cleanupalldata"), IvsClient.json(List.of(ORG + "~2~21")));
        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);

        assertThat(awaitRows("inventory_summary", rows -> rows.size() == 1))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.dimensions()).containsEntry("siteid", "1");
                    assertThat(row.quantities()).containsEntry("pos.inbound", "7");
                });
        assertThat(awaitRows("onhand_preload", rows -> rows.size() == 1))
                .singleElement()
                .extracting(Row::dimensions)
                .isEqualTo(d("locationid", "11", "siteid", "1"));
    }

    /** refreshChanged itself: only the given products, in one go. */
    @Test
    void refreshChanged_givenProducts_refreshesOnlyThose() {
        change(event("c1", "shirt", BLUE, "pos", "inbound", 7));
        change(event("c2", "pants", PANTS_SITE, "pos", "inbound", 2));
        // Immediate mode on in the document, but the follower cannot have applied these
        // changes yet when the test calls the refresh first; it refreshes the same values.
        enable(true, false, "immediate");

        SummaryRefresher.Counts counts = refresher.refreshChanged(env, Set.of(productKey("shirt")));

        assertThat(counts.summaryWritten()).isLessThanOrEqualTo(1);
        assertThat(rows("inventory_summary"))
                .filteredOn(r -> r.product().equals("shirt"))
                .singleElement()
                .satisfies(r -> assertThat(r.quantities()).containsEntry("pos.inbound", "7"));
    }

    @Test
    void backfill_rewritesEveryRowAsAJob() throws Exception {
        enable(true, true, "periodic", "colorid");
        mixedWrites();
        Instant beforeBackfill = Instant.now().minusSeconds(1);

        IvsClient.Response started =
                client.post("/admin/environments/" + env + "/summary/backfill", null);

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode job = awaitJob(started.json().path("jobId").asString());
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("Completed");
        assertThat(job.path("message").asString())
                .isEqualTo("4 summary rows and 3 preload rows written, 0 deleted");
        assertThat(withoutTimes(rows("inventory_summary"))).isEqualTo(EXPECTED_SUMMARY);
        assertThat(withoutTimes(rows("onhand_preload"))).isEqualTo(EXPECTED_PRELOAD);
        assertThat(rows("inventory_summary"))
                .allSatisfy(row -> assertThat(row.updatedAt()).isAfter(beforeBackfill));
        assertThat(periodic.refreshIfDue(env))
                .as("the backfill counts as the last refresh")
                .isEmpty();
    }

    @Test
    void backfill_featuresOff_is409AndStartsNoJob() {
        IvsClient.Response refused =
                client.post("/admin/environments/" + env + "/summary/backfill", null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asString())
                .contains("storageConfiguration.isOnHandMostSpecificStorageEnabled");
        assertThat(jdbc.queryForObject(
                        "select count(*) from job where environment_id = ?", Integer.class, env))
                .isZero();
    }

    @Test
    void configuration_badSummarySettings_are400NamingTheField() {
        tools.jackson.databind.node.ObjectNode document = configuration();
        ((tools.jackson.databind.node.ObjectNode) document.get("storageConfiguration"))
                .put("ohmsBackgroundServiceFreq", 4);
        IvsClient.Response tooOften =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));

        document = configuration();
        ((tools.jackson.databind.node.ObjectNode) document.get("storageConfiguration"))
                .put("refreshMode", "sometimes");
        IvsClient.Response badMode =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));

        document = configuration();
        ((tools.jackson.databind.node.ObjectNode)
                        document.get("onHandIndexQueryPreloadStorageConfiguration"))
                .putArray("groupByValues")
                .add("flavour");
        IvsClient.Response badDimension =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));

        assertThat(tooOften.status()).isEqualTo(400);
        assertThat(tooOften.body()).contains("storageConfiguration.ohmsBackgroundServiceFreq");
        assertThat(badMode.status()).isEqualTo(400);
        assertThat(badMode.body()).contains("storageConfiguration.refreshMode");
        assertThat(badDimension.status()).isEqualTo(400);
        assertThat(badDimension.body()).contains("groupByValues", "flavour");
        assertThat(configuration()
                        .path("storageConfiguration")
                        .path("ohmsBackgroundServiceFreq")
                        .asInt())
                .isEqualTo(15);
    }

    /**
     * The follower reads the configuration through the instance's cache, which hears of the
     * switch by LISTEN/NOTIFY, and a round that started while the environment was still in
     * immediate mode follows every page it finds, a change written after the switch included.
     * So a change meant to be left alone is written only once the cache says periodic and a
     * round that was under way has had time to end.
     */
    private void markRefreshedNow() {
        jdbc.update(
                "insert into summary_refresh (environment_id, refreshed_at) values (?, now())"
                        + " on conflict (environment_id) do update set refreshed_at = now()",
                env);
    }

    private void awaitFollowerSeesPeriodic() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (environments.configuration(env).summary().mode()
                != SummarySettings.RefreshMode.PERIODIC) {
            assertThat(Instant.now()).as("the cache hears of the switch").isBefore(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(FOLLOWER_ROUND_MAX.toMillis());
    }
}
