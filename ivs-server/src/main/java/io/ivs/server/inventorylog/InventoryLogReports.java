package io.ivs.server.inventorylog;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;
import io.ivs.server.web.NotFoundException;

import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Log requests as jobs: a request copies its lines into a report (as the original materialises
 * them into its report table) and answers the job id that {@code getJobProgress} follows; the
 * report is then read page by page or as CSV.
 */
@Service
public class InventoryLogReports {
    static final String JOB_KIND = "LogTransactionDetailsJob";

    private final JobStore jobs;
    private final JdbcInventoryLogStore store;

    InventoryLogReports(JobStore jobs, JdbcInventoryLogStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    /** Runs the request as a job; answers the job id. */
    String start(EnvironmentId environment, LogRequest request, String requestJson) {
        String jobId = jobs.start(environment, JOB_KIND);
        try {
            int lines = store.makeReport(environment.value(), jobId, request, requestJson);
            jobs.finish(jobId, "Completed", message(lines));
        } catch (RuntimeException e) {
            jobs.finish(jobId, "Failed", e.getMessage() == null ? "failed" : e.getMessage());
            throw e;
        }
        return jobId;
    }

    private static String message(int lines) {
        if (lines >= JdbcInventoryLogStore.REPORT_LINES_MAX) {
            return lines + " log lines (the most one request returns; narrow the dates or"
                    + " filters for the rest)";
        }
        return lines + " log lines";
    }

    /** Runs a log request given as JSON (the console's form); answers the job id. */
    public String request(EnvironmentId environment, JsonNode body) {
        return start(environment, LogRequest.parse(body), body.toString());
    }

    /** How many lines a log request found. */
    public int lineCount(EnvironmentId environment, String jobId) {
        return report(environment, jobId).lineCount();
    }

    /** Lines of a log request as the API answers them, from the first, at most {@code limit}. */
    public List<Map<String, Object>> lines(EnvironmentId environment, String jobId, int limit) {
        return page(report(environment, jobId), 1, limit).stream()
                .map(InventoryLogController::json)
                .toList();
    }

    /** Writes a log request's lines as CSV, the header first. */
    public void writeCsv(EnvironmentId environment, String jobId, PrintWriter out) {
        LogReport report = report(environment, jobId);
        out.print(InventoryLogController.CSV_HEADER + "\r\n");
        forEachLine(report, line -> out.print(InventoryLogController.csvRow(line)));
        out.flush();
    }

    LogReport report(EnvironmentId environment, String jobId) {
        return store.report(environment.value(), jobId)
                .orElseThrow(() -> new NotFoundException(
                        "jobId: no log request '" + jobId + "' in this environment"));
    }

    List<LogLine> page(LogReport report, int page, int pageSize) {
        return store.page(report.jobId(), (page - 1) * pageSize, pageSize);
    }

    void forEachLine(LogReport report, Consumer<LogLine> sink) {
        store.forEachLine(report.jobId(), sink);
    }
}
