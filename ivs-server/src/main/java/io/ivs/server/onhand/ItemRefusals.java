package io.ivs.server.onhand;

import java.time.Instant;
import java.util.List;

/**
 * Refused items of on-hand writes and reservations per minute and rejection reason, over all
 * environments and every instance: each instance adds what its counter {@code ivs.api.items}
 * (outcome {@code refused}) gained since its last flush, once a minute.
 */
public interface ItemRefusals {
    /** Items refused for {@code reason} in the minute starting at {@code minute}. */
    record MinuteCount(Instant minute, String reason, long items) {}

    /** Refused items per minute and reason in [{@code from}, {@code to}), every instance's. */
    List<MinuteCount> perMinute(Instant from, Instant to);

    /** Adds this instance's refusals since its last flush to the shared counts now. */
    void flush();
}
