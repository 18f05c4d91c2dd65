package io.ivs.server.summary;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.postgres.Columns;
import io.ivs.server.web.UnknownEnvironmentException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The periodic refresh (spec §4.1: every {@code ohmsBackgroundServiceFreq} minutes). Every
 * instance looks every {@code ivs.summary.poll-interval} for environments whose refresh is due;
 * the instance that takes the environment's lease in {@code summary_refresh} (one conditional
 * statement, so exactly one wins) runs it, extending the lease after each page. A lease lapses
 * when its instance dies, so another takes over. The frequency is measured from the start of
 * one refresh to the start of the next.
 */
@Component
public class PeriodicSummaryRefresh {
    private static final Logger log = LoggerFactory.getLogger(PeriodicSummaryRefresh.class);

    /** How long a lease lasts without being extended. */
    static final Duration LEASE = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final EnvironmentService environments;
    private final SummaryRefresher refresher;

    public PeriodicSummaryRefresh(
            JdbcTemplate jdbc, EnvironmentService environments, SummaryRefresher refresher) {
        this.jdbc = jdbc;
        this.environments = environments;
        this.refresher = refresher;
    }

    @Scheduled(
            initialDelayString = "${ivs.summary.poll-interval:PT30S}",
            fixedDelayString = "${ivs.summary.poll-interval:PT30S}")
    public void refreshDue() {
        List<String> ids = environments.environments();
        for (String environmentId : ids) {
            try {
                refreshIfDue(environmentId);
            } catch (UnknownEnvironmentException e) {
                // Deleted since it was listed.
            } catch (RuntimeException e) {
                log.warn("summary refresh of environment '{}' failed", environmentId, e);
            }
        }
    }

    /**
     * Runs the environment's refresh if its summary or preload is on, the frequency has passed
     * since the last one started, and no other instance holds the lease.
     *
     * @return the counts of the refresh that ran, or empty if none ran
     */
    public Optional<SummaryRefresher.Counts> refreshIfDue(String environmentId) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        if (!config.summary().anyEnabled()) {
            return Optional.empty();
        }
        Optional<OffsetDateTime> started =
                claim(environmentId, config.summary().frequencyMinutes());
        if (started.isEmpty()) {
            return Optional.empty();
        }
        boolean completed = false;
        try {
            SummaryRefresher.Counts counts =
                    refresher.refreshAll(environmentId, false, () -> extendLease(environmentId));
            completed = true;
            return Optional.of(counts);
        } finally {
            finish(environmentId, completed ? started.get() : null);
        }
    }

    /** Takes the lease if the refresh is due and not running; answers the start time. */
    private Optional<OffsetDateTime> claim(String environmentId, int frequencyMinutes) {
        return Columns.notNull(jdbc.queryForList(
                        "insert into summary_refresh as s (environment_id, lease_until)"
                                + " values (?, now() + make_interval(secs => ?))"
                                + " on conflict (environment_id) do update"
                                + " set lease_until = excluded.lease_until"
                                + " where (s.lease_until is null or s.lease_until < now())"
                                + " and (s.refreshed_at is null"
                                + " or s.refreshed_at <= now() - make_interval(mins => ?))"
                                + " returning now()",
                        OffsetDateTime.class,
                        environmentId,
                        LEASE.toSeconds(),
                        frequencyMinutes))
                .stream()
                .findFirst();
    }

    private void extendLease(String environmentId) {
        jdbc.update(
                "update summary_refresh set lease_until = now() + make_interval(secs => ?)"
                        + " where environment_id = ?",
                LEASE.toSeconds(),
                environmentId);
    }

    /** Releases the lease; a completed refresh also records when it started. */
    private void finish(String environmentId, @Nullable OffsetDateTime startedIfCompleted) {
        jdbc.update(
                "update summary_refresh set lease_until = null,"
                        + " refreshed_at = coalesce(?::timestamptz, refreshed_at)"
                        + " where environment_id = ?",
                startedIfCompleted,
                environmentId);
    }

    /** The database's clock, which every instance shares. */
    OffsetDateTime databaseNow() {
        OffsetDateTime now = jdbc.queryForObject("select now()", OffsetDateTime.class);
        if (now == null) {
            throw new IllegalStateException("select now() answered nothing");
        }
        return now;
    }

    /** Records a refresh that ran outside the schedule (a backfill) as the last one. */
    void recordCompleted(String environmentId, OffsetDateTime started) {
        jdbc.update(
                "insert into summary_refresh (environment_id, refreshed_at) values (?, ?)"
                        + " on conflict (environment_id) do update"
                        + " set refreshed_at = greatest(summary_refresh.refreshed_at,"
                        + " excluded.refreshed_at)",
                environmentId,
                started);
    }
}
