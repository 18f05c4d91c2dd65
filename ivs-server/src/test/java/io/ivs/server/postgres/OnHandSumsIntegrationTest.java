package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.server.support.HttpTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The sums of several levels read in one statement ({@link OnHandDeltas#sums}) against each
 * level's own statement ({@link OnHandDeltas#sum}) and against the quantities written, on random
 * records of several products: levels at every depth, values no record has, a product without
 * records, and a measure written but not asked for.
 */
class OnHandSumsIntegrationTest extends HttpTestSupport {
    private static final MeasureRef A = MeasureRef.parse("measure", "iv.a");
    private static final MeasureRef B = MeasureRef.parse("measure", "iv.b");
    private static final MeasureRef C = MeasureRef.parse("measure", "pos.c");

    @Autowired
    DataSource dataSource;

    @Test
    void sumsOfManyLevels_equalEachLevelsOwnSum_andTheQuantitiesWritten() throws Exception {
        SplittableRandom random = new SplittableRandom(20261208);
        Map<RecordKey, Map<MeasureRef, BigDecimal>> written = new LinkedHashMap<>();
        List<Delta> deltas = new ArrayList<>();
        for (String product : List.of("P0", "P1", "P2")) {
            for (String site : List.of("1", "2")) {
                for (String location : List.of("11", "12", "21")) {
                    for (String colour : List.of("red", "blue")) {
                        if (random.nextInt(10) < 3) {
                            continue;
                        }
                        RecordKey record = record(
                                product,
                                Map.of("siteid", site, "locationid", location, "colorid", colour));
                        for (MeasureRef measure : List.of(A, B, C)) {
                            if (random.nextInt(10) < 2) {
                                continue;
                            }
                            // -50.00 to 200.00, at scale 0 to 2.
                            BigDecimal quantity = BigDecimal.valueOf(
                                            random.nextLong(-5_000, 20_001), 2)
                                    .setScale(random.nextInt(3), java.math.RoundingMode.DOWN);
                            deltas.add(new Delta(record, "p", measure, quantity, null));
                            written.computeIfAbsent(record, r -> new TreeMap<>())
                                    .merge(measure, quantity, BigDecimal::add);
                        }
                    }
                }
            }
        }
        List<RecordKey> levels = new ArrayList<>();
        for (String product : List.of("P0", "P1", "P2", "P-none")) {
            levels.add(record(product, Map.of()));
            levels.add(record(product, Map.of("siteid", "1")));
            levels.add(record(product, Map.of("siteid", "2", "locationid", "21")));
            levels.add(record(product, Map.of("colorid", "blue")));
            levels.add(record(product, Map.of("siteid", "1", "colorid", "red")));
            levels.add(
                    record(product, Map.of("siteid", "1", "locationid", "12", "colorid", "blue")));
            levels.add(record(product, Map.of("siteid", "9")));
        }
        // The same level twice answers twice.
        levels.add(record("P1", Map.of("siteid", "1")));
        List<MeasureRef> asked = List.of(A, C);

        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                OnHandDeltas.apply(con, env, deltas);
                List<Map<MeasureRef, BigDecimal>> together = OnHandDeltas.sums(con, levels, asked);

                assertThat(together).hasSize(levels.size());
                int nonEmpty = 0;
                for (int i = 0; i < levels.size(); i++) {
                    RecordKey level = levels.get(i);
                    Map<String, String> expected = plain(expected(written, level, asked));
                    assertThat(plain(together.get(i)))
                            .as("level %s", level)
                            .isEqualTo(plain(OnHandDeltas.sum(con, level, asked)))
                            .isEqualTo(expected);
                    nonEmpty += expected.isEmpty() ? 0 : 1;
                }
                // Most levels hold stock; the unknown product and site hold none.
                assertThat(nonEmpty).isGreaterThan(levels.size() / 2);
                assertThat(together.get(levels.size() - 1)).isEqualTo(together.get(8));
            } finally {
                con.rollback();
            }
        }
    }

    private RecordKey record(String product, Map<String, String> dimensions) {
        return new RecordKey(EnvironmentId.of(env), "usmf", product, DimensionSet.of(dimensions));
    }

    /** The written quantities of the asked measures over the records at or below the level. */
    private static Map<MeasureRef, BigDecimal> expected(
            Map<RecordKey, Map<MeasureRef, BigDecimal>> written,
            RecordKey level,
            List<MeasureRef> measures) {
        Map<MeasureRef, BigDecimal> sums = new TreeMap<>();
        written.forEach((record, quantities) -> {
            if (!record.productKey().equals(level.productKey())) {
                return;
            }
            for (Map.Entry<String, String> e : level.dimensions().values().entrySet()) {
                if (!e.getValue().equals(record.dimensions().get(e.getKey()))) {
                    return;
                }
            }
            quantities.forEach((measure, quantity) -> {
                if (measures.contains(measure)) {
                    sums.merge(measure, quantity, BigDecimal::add);
                }
            });
        });
        return sums;
    }

    /** Values as plain text without trailing zeros: sums compare by value, not by scale. */
    private static Map<String, String> plain(Map<MeasureRef, BigDecimal> sums) {
        Map<String, String> plain = new TreeMap<>();
        sums.forEach((m, q) -> plain.put(m.qualified(), q.stripTrailingZeros().toPlainString()));
        return plain;
    }
}
