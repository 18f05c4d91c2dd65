package io.ivs.server.summary;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;
import io.ivs.server.environment.EnvironmentService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backfill (spec A20's "initial push"): rebuilds every summary and preload row of an
 * environment as a job, whose progress {@code GET …/getJobProgress?jobId=} reports.
 */
@RestController
public class SummaryAdminController {
    private static final Logger log = LoggerFactory.getLogger(SummaryAdminController.class);
    static final String JOB_KIND = "SummaryBackfill";

    private final EnvironmentService environments;
    private final SummaryRefresher refresher;
    private final PeriodicSummaryRefresh periodic;
    private final JobStore jobs;

    public SummaryAdminController(
            EnvironmentService environments,
            SummaryRefresher refresher,
            PeriodicSummaryRefresh periodic,
            JobStore jobs) {
        this.environments = environments;
        this.refresher = refresher;
        this.periodic = periodic;
        this.jobs = jobs;
    }

    @PostMapping("/admin/environments/{environmentId}/summary/backfill")
    ResponseEntity<Map<String, Object>> backfill(@PathVariable String environmentId) {
        if (!environments.configuration(environmentId).summary().anyEnabled()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "neither the inventory summary"
                            + " (storageConfiguration.isOnHandMostSpecificStorageEnabled) nor"
                            + " preloaded on-hand (onHandIndexQueryPreloadStorageConfiguration"
                            + ".isOnHandIndexQueryPreloadStorageEnabled) is switched on");
        }
        String jobId = jobs.start(EnvironmentId.of(environmentId), JOB_KIND);
        OffsetDateTime started = periodic.databaseNow();
        Thread.ofVirtual().name("summary-backfill-" + environmentId).start(() -> {
            try {
                SummaryRefresher.Counts counts =
                        refresher.refreshAll(environmentId, true, () -> {});
                periodic.recordCompleted(environmentId, started);
                jobs.finish(
                        jobId,
                        "Completed",
                        counts.summaryWritten() + " summary rows and " + counts.preloadWritten()
                                + " preload rows written, " + counts.deleted() + " deleted");
            } catch (RuntimeException e) {
                log.warn("summary backfill of environment '{}' failed", environmentId, e);
                jobs.finish(jobId, "Failed", "the backfill failed; see the server log");
            }
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", jobId);
        answer.put("id", jobId);
        answer.put("status", "Running");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }
}
