package io.ivs.server.sync;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * One full sync as stored: open until completed, aborted by its client, or expired (no batch and
 * no completion within its timeout). {@code records} and {@code zeroed} are known once completed.
 */
public record FullSync(
        String syncId,
        String dataSource,
        Status status,
        Instant startedAt,
        int timeoutSeconds,
        Instant expiresAt,
        @Nullable Instant finishedAt,
        @Nullable Long records,
        @Nullable Long zeroed) {
    public enum Status {
        OPEN("open"),
        COMPLETED("completed"),
        ABORTED("aborted"),
        EXPIRED("expired");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Status parse(String wireName) {
            for (Status status : values()) {
                if (status.wireName.equals(wireName)) {
                    return status;
                }
            }
            throw new IllegalStateException("unknown sync status '" + wireName + "'");
        }
    }
}
