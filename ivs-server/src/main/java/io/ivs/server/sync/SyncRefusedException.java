package io.ivs.server.sync;

import org.jspecify.annotations.Nullable;

/**
 * A sync call that cannot be served as asked: 403 (the caller may not write the data source),
 * 404 (no such sync) or 409 (another sync is open, or this one has ended), with the sync it is
 * about where there is one.
 */
public final class SyncRefusedException extends RuntimeException {
    private final int status;
    private final @Nullable String syncId;

    SyncRefusedException(int status, String message, @Nullable String syncId) {
        super(message);
        this.status = status;
        this.syncId = syncId;
    }

    public int status() {
        return status;
    }

    public @Nullable String syncId() {
        return syncId;
    }

    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
