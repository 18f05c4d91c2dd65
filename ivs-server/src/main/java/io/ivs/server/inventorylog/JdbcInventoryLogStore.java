package io.ivs.server.inventorylog;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The inventory log's reports in PostgreSQL: made by a log request, read page by page. */
@Repository
public class JdbcInventoryLogStore {
    /** Lines one report holds at most; a wider request is cut there and says so. */
    static final int REPORT_LINES_MAX = 100_000;

    private static final String LINE_COLUMNS = "logged_at, api, client_id, request_id, event_id,"
            + " organization_id, product_id, site_id, location_id, dimensions::text,"
            + " quantities::text";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JdbcInventoryLogStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Copies the lines the request selects into a new report; answers how many. */
    int makeReport(String env, String jobId, LogRequest request, String requestJson) {
        Integer count = tx.execute(status -> {
            jdbc.update(
                    "insert into inventory_log_report (job_id, environment_id, request,"
                            + " line_count) values (?, ?, ?::jsonb, 0)",
                    jobId,
                    env,
                    requestJson);
            int lines = copyLines(env, jobId, request);
            jdbc.update(
                    "update inventory_log_report set line_count = ? where job_id = ?",
                    lines,
                    jobId);
            return lines;
        });
        return count == null ? 0 : count;
    }

    private int copyLines(String env, String jobId, LogRequest request) {
        StringBuilder where = new StringBuilder(
                " where environment_id = ? and organization_id = ? and logged_at >= ?"
                        + " and logged_at < ?");
        List<Object> args = new ArrayList<>();
        args.add(jobId);
        args.add(env);
        args.add(request.organizationId());
        args.add(Timestamp.from(
                request.utcFromDate().atStartOfDay(ZoneOffset.UTC).toInstant()));
        args.add(Timestamp.from(
                request.utcToDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        optional(where, args, "product_id", request.productId());
        optional(where, args, "site_id", request.siteId());
        optional(where, args, "location_id", request.locationId());
        args.add(REPORT_LINES_MAX);
        return jdbc.update(
                "insert into inventory_log_report_line (job_id, line_no, "
                        + LINE_COLUMNS.replace("::text", "")
                        + ") select ?, row_number() over (order by"
                        + " logged_at, log_id), logged_at, api, client_id, request_id, event_id,"
                        + " organization_id, product_id, site_id, location_id, dimensions,"
                        + " quantities from (select * from inventory_log" + where
                        + " order by logged_at, log_id limit ?) l",
                args.toArray());
    }

    private static void optional(
            StringBuilder where, List<Object> args, String column, @Nullable String value) {
        if (value != null) {
            where.append(" and ").append(column).append(" = ?");
            args.add(value);
        }
    }

    Optional<LogReport> report(String env, String jobId) {
        return jdbc
                .query(
                        "select job_id, line_count from inventory_log_report"
                                + " where environment_id = ? and job_id = ?",
                        (rs, n) -> new LogReport(rs.getString(1), rs.getInt(2)),
                        env,
                        jobId)
                .stream()
                .findFirst();
    }

    /** Lines {@code offset + 1 ..} of a report, at most {@code limit}. */
    List<LogLine> page(String jobId, int offset, int limit) {
        return jdbc.query(
                "select " + LINE_COLUMNS + " from inventory_log_report_line where job_id = ?"
                        + " and line_no > ? order by line_no limit ?",
                (rs, n) -> line(rs),
                jobId,
                offset,
                limit);
    }

    /** Every line of a report, in order, streamed to {@code sink}. */
    void forEachLine(String jobId, Consumer<LogLine> sink) {
        jdbc.query(
                "select " + LINE_COLUMNS + " from inventory_log_report_line where job_id = ?"
                        + " order by line_no",
                (RowCallbackHandler) rs -> sink.accept(line(rs)),
                jobId);
    }

    private static LogLine line(ResultSet rs) throws SQLException {
        return new LogLine(
                rs.getTimestamp(1).toInstant(),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11));
    }

    /** Deletes reports (and their lines) made more than {@code hours} ago. */
    int deleteReportsOlderThan(int hours) {
        return jdbc.update(
                "delete from inventory_log_report"
                        + " where created_at < now() - make_interval(hours => ?)",
                hours);
    }
}
