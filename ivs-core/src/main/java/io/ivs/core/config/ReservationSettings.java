package io.ivs.core.config;

import java.util.List;

/**
 * The soft-reservation switch and dimension hierarchy ({@code reservConfiguration}, spec §3.9).
 * {@code version} 0 rejects dimensions outside {@code keys}; 1 ignores them.
 */
public record ReservationSettings(boolean enabled, int version, List<String> keys) {
    public ReservationSettings {
        keys = List.copyOf(keys);
    }

    public static ReservationSettings disabled() {
        return new ReservationSettings(false, 0, List.of());
    }
}
