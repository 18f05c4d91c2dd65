package io.ivs.server.inventorylog;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;
import io.ivs.server.inventorylog.JdbcInventoryLogStore.Line;
import io.ivs.server.inventorylog.JdbcInventoryLogStore.Report;
import io.ivs.server.web.NotFoundException;

import org.springframework.stereotype.Service;

import java.util.List;
import java.util.function.Consumer;

/**
 * Log requests as jobs: a request copies its lines into a report (as the original materialises
 * them into its report table) and answers the job id that {@code getJobProgress} follows; the
 * report is then read page by page or as CSV.
 */
@Service
class InventoryLogReports {
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

    Report report(EnvironmentId environment, String jobId) {
        return store.report(environment.value(), jobId)
                .orElseThrow(() -> new NotFoundException(
                        "jobId: no log request '" + jobId + "' in this environment"));
    }

    List<Line> page(Report report, int page, int pageSize) {
        return store.page(report.jobId(), (page - 1) * pageSize, pageSize);
    }

    void forEachLine(Report report, Consumer<Line> sink) {
        store.forEachLine(report.jobId(), sink);
    }
}
