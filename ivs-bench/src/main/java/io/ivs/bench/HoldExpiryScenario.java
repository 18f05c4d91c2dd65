package io.ivs.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How late holds lapse: takes holds of a few seconds in waves, waits until the sweepers have
 * released them all, and reads from PostgreSQL when each release was processed beside the expiry
 * its derived event id carries ({@code expire:<reservation id>:<expiry epoch ms>}). Lateness is
 * reported as p50, p99 and max; it is what the sweep interval (one second by default) and the
 * load decide, measured, not promised.
 */
final class HoldExpiryScenario {
    static final int HOLDS = 300;
    static final int WAVES = 10;
    static final long WAVE_PAUSE_MILLIS = 150;
    static final int TTL_SECONDS = 2;
    static final long RELEASE_TIMEOUT_MILLIS = 60_000;

    private final Target target;
    private final Report report;

    HoldExpiryScenario(Target target, Report report) {
        this.target = target;
        this.report = report;
    }

    void run() throws Exception {
        List<Events.Event> stock = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            stock.add(ReservationScenarios.stock(product(i), BigDecimal.TEN));
        }
        target.postAll(stock);
        for (int i = 0; i < HOLDS; i++) {
            Http.Response response = target.http.post(
                    Target.ENVIRONMENT, Target.api("/onhand/reserve"), holdBody(i));
            Target.require(response, "a hold");
            if ((i + 1) % (HOLDS / WAVES) == 0) {
                Thread.sleep(WAVE_PAUSE_MILLIS);
            }
        }
        try (Connection con = target.connect(null)) {
            long deadline = System.currentTimeMillis() + RELEASE_TIMEOUT_MILLIS;
            while (released(con) < HOLDS && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            List<Double> lateness = latenessMillis(con);
            lateness.sort(Double::compare);
            report.note(String.format(
                    "Hold expiry lateness (%d of %d holds of %d s released, sweep interval 1 s):"
                            + " p50 %.0f ms, p99 %.0f ms, max %.0f ms (expiry to the release's"
                            + " transaction start, read from processed_event).",
                    lateness.size(),
                    HOLDS,
                    TTL_SECONDS,
                    percentile(lateness, 0.50),
                    percentile(lateness, 0.99),
                    lateness.isEmpty() ? Double.NaN : lateness.get(lateness.size() - 1)));
        }
    }

    private static String product(int i) {
        return "hold-" + i;
    }

    private static byte[] holdBody(int i) {
        String body = new String(
                ReservationScenarios.reserveBody("hold-" + i, product(i)), StandardCharsets.UTF_8);
        return (body.substring(0, body.length() - 1) + ",\"ttlSeconds\":" + TTL_SECONDS + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long released(Connection con) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("select count(*) from processed_event"
                + " where environment_id = ? and family = 'expire'")) {
            ps.setString(1, Target.ENVIRONMENT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Double> latenessMillis(Connection con) throws SQLException {
        String sql = "select extract(epoch from processed_at"
                + " - to_timestamp(split_part(event_id, ':', 3)::bigint / 1000.0)) * 1000"
                + " from processed_event where environment_id = ? and family = 'expire'";
        List<Double> values = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, Target.ENVIRONMENT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getDouble(1));
                }
            }
        }
        return values;
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
