package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandStore.WriteKind;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.server.inventorylog.InventoryLogContext;
import io.ivs.server.onhand.JdbcOnHandStore;
import io.ivs.server.support.HttpTestSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * Under Citus (skipped elsewhere), every hot statement of a write, a reservation or a
 * per-product query runs on one shard group: the statements run through the stores' own code
 * on a connection that logs the commands Citus sends to the workers, and the shards those
 * commands name must all hold the same range of product keys (colocated shards of one product).
 */
class CitusRoutingIntegrationTest extends HttpTestSupport {
    /** A shard of a distributed table as Citus names it in the commands it sends. */
    private static final Pattern SHARD = Pattern.compile("\\b(?:public\\.)?([a-z_]+)_(\\d{6,})\\b");

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    private Set<String> distributed;

    @BeforeEach
    void onCitusOnly() {
        Boolean citus = jdbc.queryForObject(
                "select to_regclass('pg_dist_partition') is not null", Boolean.class);
        if (Boolean.TRUE.equals(citus)) {
            citus = jdbc.queryForObject(
                    "select exists (select 1 from pg_dist_partition where logicalrelid"
                            + " = 'onhand_record'::regclass)",
                    Boolean.class);
        }
        assumeTrue(Boolean.TRUE.equals(citus), "the database is not a distributed Citus one");
        distributed = new TreeSet<>(jdbc.queryForList(
                "select logicalrelid::text from pg_dist_partition where partmethod = 'h'",
                String.class));
    }

    @Test
    void reservationTransaction_everyStatementOnOneShardGroup() throws Exception {
        RecordKey record = record("P-routing");
        Delta reserve = new Delta(
                record,
                "usmf~1~11",
                MeasureRef.parse("measure", "iv.softreserved"),
                BigDecimal.ONE,
                "r-routing");
        try (Connection raw = dataSource.getConnection()) {
            List<String> commands = new ArrayList<>();
            Connection con = loggingTransaction(raw, commands);

            ProductLocks.lock(con, new TreeSet<>(Set.of(record.productKey())));
            assertOneShardGroup("product lock", commands, 1);

            ProcessedEvents<String> events = ProcessedEventsSql.of(
                    con,
                    env,
                    Set.of(record.productKey()),
                    ProcessedEventsSql.Codec.of(answer -> answer, text -> text));
            assertThat(events.find("reserve", List.of(EventId.of("e-routing")))).isEmpty();
            assertOneShardGroup("event id look-up", commands, 1);
            assertThat(events.claim(
                            "reserve",
                            List.of(new Claim<>(
                                    EventId.of("e-routing"),
                                    record.productKey(),
                                    "fp",
                                    "usmf~1~11",
                                    "reserved"))))
                    .containsExactly(EventId.of("e-routing"));
            assertOneShardGroup("event id claim", commands, 1);

            OnHandDeltas.apply(con, env, List.of(reserve));
            assertOneShardGroup(
                    "records, quantities and ledger (with the feed trigger)", commands, 1);

            Map<MeasureRef, BigDecimal> sums = OnHandDeltas.sum(
                    con, record, List.of(MeasureRef.parse("measure", "iv.softreserved")));
            assertThat(sums).containsValue(BigDecimal.ONE);
            assertOneShardGroup("per-product sum", commands, 1);

            run(
                    con,
                    "select measure, record_key, quantity, expires_at from reservation"
                            + " where product_key = ? and reservation_id = ?",
                    record.productKey(),
                    "r-routing");
            assertOneShardGroup("ledger read", commands, 1);

            run(
                    con,
                    "select r.reservation_id, o.partition_id from reservation r"
                            + " join onhand_record o on o.product_key = r.product_key"
                            + " and o.record_key = r.record_key"
                            + " where r.product_key = any(?::uuid[]) and r.expires_at <= now()",
                    (Object) new UUID[] {record.productKey()});
            assertOneShardGroup("lapsed holds", commands, 1);

            run(
                    con,
                    "insert into hold_release (environment_id, product_key, record_key,"
                            + " reservation_id, expires_at, released) select ?, r.pk, r.rk, r.id,"
                            + " now(), 1 from unnest(?::uuid[], ?::text[], ?::text[])"
                            + " as r(pk, rk, id)",
                    env,
                    new UUID[] {record.productKey()},
                    new String[] {record.dimensions().key()},
                    new String[] {"r-routing"});
            assertOneShardGroup("hold note", commands, 1);

            run(
                    con,
                    "insert into feed_change (product_key, environment_id, record_key,"
                            + " organization_id, product_id, dimensions, kind, alert)"
                            + " values (?, ?, 'alert:r', 'usmf', 'P-routing', '{}', 'alert', '{}')",
                    record.productKey(),
                    env);
            assertOneShardGroup("alert row", commands, 1);
            raw.rollback();
        }
    }

    @Test
    void onHandEventIds_claimLookUpAndMessages_onTheProductsShardGroup() throws Exception {
        RecordKey record = record("P-routing-ids");
        try (Connection raw = dataSource.getConnection()) {
            List<String> commands = new ArrayList<>();
            Connection con = loggingTransaction(raw, commands);
            List<ProcessedEventsSql.IdClaim> claims = List.of(
                    new ProcessedEventsSql.IdClaim(
                            EventId.of("a"), record.productKey(), "fp-a", "usmf~1~11"),
                    new ProcessedEventsSql.IdClaim(
                            EventId.of("b"), record.productKey(), "fp-b", "usmf~1~11"));

            assertThat(ProcessedEventsSql.claimIds(con, env, "setonhand", claims))
                    .hasSize(2);
            assertOneShardGroup("claim of a request's ids", commands, 1);

            ProcessedEventsSql.recordMessages(
                    con,
                    env,
                    "setonhand",
                    Map.of(EventId.of("a"), "stale"),
                    id -> record.productKey());
            assertOneShardGroup("messages of the claimed ids", commands, 1);

            assertThat(ProcessedEventsSql.findMessages(
                            con,
                            env,
                            "setonhand",
                            List.of(EventId.of("a"), EventId.of("b")),
                            Set.of(record.productKey())))
                    .hasSize(2);
            assertOneShardGroup("look-up of earlier ids", commands, 1);
            raw.rollback();
        }
    }

    /**
     * The on-hand store's own statements, through its public methods on one logging connection:
     * a small change request (one statement), a large one (a transaction), one with its
     * inventory log lines, a set, and the product's query.
     */
    @Test
    void onHandStore_changesSetsAndTheProductsQuery_onTheProductsShardGroup() throws Exception {
        String product = "P-routing-store";
        try (Connection raw = dataSource.getConnection()) {
            try (Statement s = raw.createStatement()) {
                s.execute("set citus.log_remote_commands = on");
            }
            try {
                List<String> commands = new ArrayList<>();
                SingleConnectionDataSource single =
                        new SingleConnectionDataSource(logging(raw, commands), true);
                JdbcTemplate logged = new JdbcTemplate(single);
                TransactionTemplate tx =
                        new TransactionTemplate(new DataSourceTransactionManager(single));
                JdbcOnHandStore store = new JdbcOnHandStore(
                        logged, tx, new ProductLocks(logged, tx), new DataSourcePushes(logged));
                EnvironmentId environment = EnvironmentId.of(env);
                Instant now = Instant.now();

                store.apply(environment, WriteKind.CHANGE, List.of(change("c1", product, 0)), now);
                assertOneShardGroup("a small change request", commands, 1);

                List<ResolvedChange> many = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    many.add(change("m" + i, product, i));
                }
                store.apply(environment, WriteKind.CHANGE, many, now);
                assertOneShardGroup("a change request of 40 records", commands, 1);

                try (InventoryLogContext.Scope scope =
                        new InventoryLogContext("onhand", "routing", "r1").open()) {
                    store.apply(
                            environment, WriteKind.CHANGE, List.of(change("c2", product, 1)), now);
                }
                assertOneShardGroup("a change with its inventory log line", commands, 1);

                store.apply(environment, WriteKind.SET, List.of(change("s1", product, 2)), now);
                assertOneShardGroup("a set", commands, 1);

                assertThat(store.query(
                                environment,
                                new OnHandQuery(
                                        List.of("usmf"),
                                        List.of(product),
                                        Map.of(),
                                        List.of(),
                                        List.of(),
                                        true)))
                        .isNotEmpty();
                assertOneShardGroup("the product's query", commands, 1);
            } finally {
                try (Statement s = raw.createStatement()) {
                    s.execute("reset citus.log_remote_commands");
                }
            }
        }
    }

    private ResolvedChange change(String eventId, String product, int colour) {
        RecordKey record = new RecordKey(
                EnvironmentId.of(env),
                "usmf",
                product,
                DimensionSet.of(
                        Map.of("siteid", "1", "locationid", "11", "colorid", "c" + colour)));
        TreeMap<MeasureRef, BigDecimal> quantities = new TreeMap<>();
        quantities.put(MeasureRef.parse("measure", "pos.inbound"), BigDecimal.valueOf(3));
        return new ResolvedChange(EventId.of(eventId), record, "usmf~1~11", quantities, null);
    }

    private RecordKey record(String product) {
        return new RecordKey(
                EnvironmentId.of(env),
                "usmf",
                product,
                DimensionSet.of(Map.of("siteid", "1", "locationid", "11")));
    }

    private static void run(Connection con, String sql, Object... parameters) throws Exception {
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p instanceof UUID[] keys) {
                    ps.setArray(i + 1, con.createArrayOf("uuid", keys));
                } else if (p instanceof String[] texts) {
                    ps.setArray(i + 1, con.createArrayOf("text", texts));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            ps.execute();
        }
    }

    /**
     * The shards named by the commands logged since the last call all cover one hash range (and
     * there are at least {@code shardsMin} of them); clears the log.
     */
    private void assertOneShardGroup(String what, List<String> commands, int shardsMin) {
        Set<Long> shards = new TreeSet<>();
        for (String command : commands) {
            Matcher m = SHARD.matcher(command);
            while (m.find()) {
                if (distributed.contains(m.group(1))) {
                    shards.add(Long.parseLong(m.group(2)));
                }
            }
        }
        assertThat(shards)
                .as(what + ": shards named in " + commands)
                .hasSizeGreaterThanOrEqualTo(shardsMin);
        Integer ranges = jdbc.queryForObject(
                "select count(distinct shardminvalue) from pg_dist_shard where shardid = any(?)",
                Integer.class,
                (Object) shards.toArray(Long[]::new));
        assertThat(ranges)
                .as(what + ": hash ranges of shards " + shards + " in " + commands)
                .isEqualTo(1);
        commands.clear();
    }

    /**
     * Opens a transaction on {@code raw} in which Citus logs the commands it sends to the
     * workers, and answers the connection that hands them to {@code commands}.
     */
    private static Connection loggingTransaction(Connection raw, List<String> commands)
            throws SQLException {
        raw.setAutoCommit(false);
        try (Statement s = raw.createStatement()) {
            s.execute("set local citus.log_remote_commands = on");
        }
        return logging(raw, commands);
    }

    /**
     * The connection, whose statements hand the notices PostgreSQL sent them (Citus's "issuing
     * ..." lines) to {@code commands} when they are closed.
     */
    private static Connection logging(Connection con, List<String> commands) {
        return (Connection) Proxy.newProxyInstance(
                CitusRoutingIntegrationTest.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, con, args);
                    if (result instanceof Statement statement) {
                        return statement(statement, commands);
                    }
                    return result;
                });
    }

    private static Object statement(Statement statement, List<String> commands) {
        Class<?> type =
                statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(
                CitusRoutingIntegrationTest.class.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        for (SQLWarning w = statement.getWarnings();
                                w != null;
                                w = w.getNextWarning()) {
                            commands.add(w.getMessage());
                        }
                    }
                    return invoke(method, statement, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
