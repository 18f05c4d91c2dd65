package io.ivs.server.onhand;

import java.time.Instant;
import java.util.List;

/**
 * Accepted events per minute: the event ids that the write paths claim in {@code
 * processed_event} (a retried event is claimed once), by write family ({@code onhand}, {@code
 * setonhand}, {@code reserve}, ...), for rate charts. Refused events claim no id; {@link
 * ItemRefusals} counts them.
 */
public interface EventRates {
    /** Accepted events of one write family in the minute starting at {@code minute}. */
    record MinuteCount(Instant minute, String family, long events) {}

    /**
     * The environment's accepted events per minute and family in [{@code from}, {@code to});
     * minutes without events are absent. Both bounds are whole minutes.
     */
    List<MinuteCount> perMinute(String environmentId, Instant from, Instant to);
}
