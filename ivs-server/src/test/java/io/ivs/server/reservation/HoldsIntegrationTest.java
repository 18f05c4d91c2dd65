package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;

import io.ivs.server.IvsApplication;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.Race;
import io.ivs.server.support.SettableClock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Holds that expire and all-or-nothing orders, through two IVS instances started on the test
 * context's database, with a settable clock in each (moved together) and their background
 * sweepers off, so that the tests run the sweepers' step themselves and never wait for time to
 * pass. (Importing a clock into the test context would make a context of its own, whose embedded
 * PostgreSQL would contend for the other HTTP tests' data directory.) The sweepers work on every
 * environment; each test starts with no hold left.
 */
class HoldsIntegrationTest extends ReservationTestSupport {
    private static final Map<String, Object> RED = level("Red", null);

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static IvsClient secondClient;

    @Autowired
    private DataSource dataSource;

    private SettableClock clock;
    private HoldSweeper sweeper;
    private HoldReleases releases;
    private ChangeFeed feed;
    private ChangeSequencer sequencer;

    /** An instance with a settable clock and its sweeper off, on the test context's database. */
    private ConfigurableApplicationContext instance(String name) {
        HikariDataSource hikari = (HikariDataSource) dataSource;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ivs.reservation.hold-sweep-interval=0",
                "--ivs.database.url=" + hikari.getJdbcUrl(),
                "--ivs.database.user=" + hikari.getUsername(),
                "--ivs.data-dir=" + System.getProperty("java.io.tmpdir") + "/ivs-holds-" + name));
        if (hikari.getPassword() != null) {
            args.add("--ivs.database.password=" + hikari.getPassword());
        }
        return new SpringApplicationBuilder(IvsApplication.class, SettableClock.Config.class)
                .run(args.toArray(String[]::new));
    }

    private static IvsClient clientOf(ConfigurableApplicationContext context) {
        return new IvsClient(
                Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @BeforeEach
    void startInstancesAndConfigure() {
        if (first == null) {
            first = instance("a");
            second = instance("b");
            secondClient = clientOf(second);
            // From now on, so that the test context's own sweeper (real clock) never finds
            // these instances' holds due: they lapse in the future of the real clock.
            first.getBean(SettableClock.class)
                    .set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
        clock = first.getBean(SettableClock.class);
        sweeper = first.getBean(HoldSweeper.class);
        releases = first.getBean(HoldReleases.class);
        feed = first.getBean(ChangeFeed.class);
        sequencer = first.getBean(ChangeSequencer.class);
        client = clientOf(first);
        // Holds of earlier tests last at most 30 days: past them, and with every hold ended,
        // the sweepers' counts in a test are its own.
        advance(Duration.ofDays(31));
        sweeper.sweepNow();
        configureAfr();
    }

    @AfterAll
    static void stopInstances() {
        for (ConfigurableApplicationContext context :
                new ConfigurableApplicationContext[] {second, first}) {
            if (context != null) {
                context.close();
            }
        }
        first = null;
        second = null;
    }

    private void advance(Duration by) {
        Instant now = clock.instant().plus(by);
        clock.set(now);
        second.getBean(SettableClock.class).set(now);
    }

    private Map<String, Object> hold(String id, String product, int quantity, int ttlSeconds) {
        Map<String, Object> body = reserveBody(id, product, RED, quantity, true);
        body.put("ttlSeconds", ttlSeconds);
        return body;
    }

    private long expireEvents(String reservationId) {
        return new JdbcTemplate(dataSource)
                .queryForObject(
                        "select count(*) from processed_event where environment_id = ?"
                                + " and family = 'expire' and event_id like ?",
                        Long.class,
                        env,
                        "expire:" + reservationId + ":%");
    }

    @Test
    void hold_lapsesWithTwoSweepersRacing_isReleasedOnceInCommitOrder() throws Exception {
        stock("s1", "Bike", RED, "erp", "unrestricted", 10);
        String reservationId = reserveOk(hold("h1", "Bike", 4, 300));
        assertThat(afr("Bike", RED)).isEqualTo("6");
        JsonNode row = holdings("?reservationId=" + reservationId).get(0);
        assertThat(row.path("expiresAt").asString())
                .isEqualTo(clock.instant().plusSeconds(300).toString());

        advance(Duration.ofSeconds(299));
        assertThat(sweeper.sweepNow() + second.getBean(HoldSweeper.class).sweepNow())
                .isZero();
        advance(Duration.ofSeconds(1));
        List<Integer> ended = Race.run(List.of(
                sweeper::sweepNow, () -> second.getBean(HoldSweeper.class).sweepNow()));

        assertThat(ended.get(0) + ended.get(1)).isEqualTo(1);
        assertThat(afr("Bike", RED)).isEqualTo("10");
        assertThat(reserved("Bike", RED)).isEqualTo("0");
        assertThat(expireEvents(reservationId)).isEqualTo(1);
        assertThat(holdings("?reservationId=" + reservationId)
                        .get(0)
                        .path("expiresAt")
                        .isNull())
                .isTrue();
        assertThat(sweeper.sweepNow()).isZero();
        assertThat(reserved("Bike", RED)).isEqualTo("0");
    }

    /**
     * The change-feed rows of a release are marked as a lapsed hold (for the console); the
     * reserve's own row before it is not.
     */
    @Test
    void holdReleases_releaseOfALapsedHold_marksItsChangeFeedRowOnly() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 10);
        String reservationId = reserveOk(hold("h1", "Bike", 4, 60));
        advance(Duration.ofSeconds(60));
        assertThat(sweeper.sweepNow()).isEqualTo(1);
        sequencer.sequenceNow();

        List<ChangeFeed.Change> changes = feed.latest(env, 10).changes();
        long first = changes.getFirst().position();
        long last = changes.getLast().position();
        Map<Long, String> marked = releases.between(env, first, last);

        assertThat(marked).containsExactly(Map.entry(last, reservationId));
        assertThat(changes.getLast().quantities().get("iv").get("softreservphysical"))
                .isEqualByComparingTo("0");
    }

    @Test
    void checkedReserve_lapsedHoldNotYetSwept_doesNotCountTheLapsedHold() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 5);
        String reservationId = reserveOk(hold("h1", "Bike", 5, 60));
        assertThat(reserve(reserveBody("r2", "Bike", RED, 5, true)).status()).isEqualTo(500);

        advance(Duration.ofSeconds(61));
        IvsClient.Response later = reserve(secondClient, reserveBody("r3", "Bike", RED, 5, true));

        assertSuccess(later, "ohre~r3");
        assertThat(reserved("Bike", RED)).isEqualTo("5");
        assertThat(expireEvents(reservationId)).isEqualTo(1);
        assertThat(sweeper.sweepNow()).isZero();
        assertThat(reserved("Bike", RED)).isEqualTo("5");
    }

    @Test
    void extendAndConfirm_moveOrEndTheExpiry() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 5);
        String reservationId = reserveOk(hold("h1", "Bike", 2, 60));
        String path = api("/onhand/reservations/" + reservationId);

        IvsClient.Response extended =
                client.post(path + "/extend", IvsClient.json(Map.of("ttlSeconds", 600)));
        assertThat(extended.status()).as(extended.body()).isEqualTo(200);
        assertThat(extended.json().path("expiresAt").asString())
                .isEqualTo(clock.instant().plusSeconds(600).toString());
        advance(Duration.ofSeconds(120));
        assertThat(sweeper.sweepNow()).isZero();

        IvsClient.Response confirmed = secondClient.post(path + "/confirm", "");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().path("expiresAt").isNull()).isTrue();
        advance(Duration.ofDays(1));
        assertThat(sweeper.sweepNow()).isZero();
        assertThat(reserved("Bike", RED)).isEqualTo("2");

        IvsClient.Response again =
                client.post(path + "/extend", IvsClient.json(Map.of("ttlSeconds", 60)));
        assertThat(again.status()).as(again.body()).isEqualTo(409);
    }

    @Test
    void extend_lapsedHold_isRefusedAndTheHoldStillLapses() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 5);
        String reservationId = reserveOk(hold("h1", "Bike", 2, 60));
        advance(Duration.ofSeconds(60));

        IvsClient.Response late =
                client.post(api("/onhand/reservations/" + reservationId + "/confirm"), "");

        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(late.json().path("message").asString()).contains("lapsed");
        assertThat(sweeper.sweepNow()).isEqualTo(1);
        assertThat(reserved("Bike", RED)).isEqualTo("0");
    }

    @Test
    void holdTerms_badInput_answers400NamingTheFieldAndReservesNothing() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 5);
        Map<String, Object> both = hold("b1", "Bike", 1, 60);
        both.put("expiresAt", clock.instant().plusSeconds(60).toString());
        Map<String, Object> past = reserveBody("b2", "Bike", RED, 1, true);
        past.put("expiresAt", clock.instant().minusSeconds(1).toString());
        Map<String, Object> zero = hold("b3", "Bike", 1, 0);
        Map<String, Object> tooLong = hold("b4", "Bike", 1, 31 * 24 * 3600);
        Map<String, Object> garbled = reserveBody("b5", "Bike", RED, 1, true);
        garbled.put("expiresAt", "tomorrow");

        assertBadField(reserve(both), "ttlSeconds");
        assertBadField(reserve(past), "expiresAt");
        assertBadField(reserve(zero), "ttlSeconds");
        assertBadField(reserve(tooLong), "ttlSeconds");
        assertBadField(reserve(garbled), "expiresAt");
        assertThat(reserved("Bike", RED)).isNull();

        IvsClient.Response unknown = client.post(
                api("/onhand/reservations/no-such-reservation/extend"),
                IvsClient.json(Map.of("ttlSeconds", 60)));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    }

    private static void assertBadField(IvsClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("message").asString()).contains(field);
    }

    @Test
    void atomicOrder_oneLineLostToAConcurrentBuyer_reservesNothing() {
        stock("s1", "Bike", RED, "erp", "unrestricted", 5);
        stock("s2", "Helmet", RED, "erp", "unrestricted", 5);
        assertSuccess(
                reserve(secondClient, reserveBody("buyer", "Helmet", RED, 4, true)), "ohre~buyer");

        List<JsonNode> answers = order(client, "o1", 3, 3);

        assertThat(answers.get(0).path("statusCode").asInt()).isEqualTo(409);
        assertThat(answers.get(0).path("message").asString()).contains("'o1-helmet'");
        assertThat(answers.get(1).path("statusCode").asInt()).isEqualTo(500);
        assertThat(answers.get(1).path("message").asString()).contains(INSUFFICIENT);
        assertThat(reserved("Bike", RED)).isNull();
        assertThat(reserved("Helmet", RED)).isEqualTo("4");
    }

    /**
     * Rounds of an order of two lines racing a buyer of the second line's last units through the
     * other instance: the order gets both lines or neither, never one.
     */
    @Test
    void atomicOrder_racingABuyer_getsEveryLineOrNone() throws Exception {
        for (int round = 0; round < 8; round++) {
            String bike = "Bike" + round;
            String helmet = "Helmet" + round;
            stock("s1-" + round, bike, RED, "erp", "unrestricted", 5);
            stock("s2-" + round, helmet, RED, "erp", "unrestricted", 5);
            String id = "o" + round;
            String buyer = "b" + round;
            List<List<JsonNode>> results = Race.run(List.of(
                    () -> orderOf(client, id, bike, helmet),
                    () -> List.of(reserve(secondClient, reserveBody(buyer, helmet, RED, 4, true))
                            .json())));

            boolean orderReserved =
                    results.get(0).stream().allMatch(a -> a.path("statusCode").asInt() == 200);
            boolean buyerReserved = results.get(1).get(0).path("statusCode").asInt() == 200;
            assertThat(orderReserved).as("exactly one of them wins").isNotEqualTo(buyerReserved);
            assertThat(reserved(bike, RED)).isEqualTo(orderReserved ? "3" : null);
            assertThat(reserved(helmet, RED)).isEqualTo(orderReserved ? "3" : "4");
        }
    }

    private List<JsonNode> order(IvsClient via, String id, int bikes, int helmets) {
        return orderOf(via, id, "Bike", "Helmet", bikes, helmets);
    }

    private List<JsonNode> orderOf(IvsClient via, String id, String bike, String helmet) {
        return orderOf(via, id, bike, helmet, 3, 3);
    }

    private List<JsonNode> orderOf(
            IvsClient via, String id, String bike, String helmet, int bikes, int helmets) {
        Map<String, Object> body = Map.of(
                "atomic",
                true,
                "items",
                List.of(
                        hold(id + "-bike", bike, bikes, 600),
                        reserveBody(id + "-helmet", helmet, RED, helmets, true)));
        IvsClient.Response response = via.post(api("/onhand/reserve/bulk"), IvsClient.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> answers = new ArrayList<>();
        response.json().forEach(answers::add);
        return answers;
    }
}
