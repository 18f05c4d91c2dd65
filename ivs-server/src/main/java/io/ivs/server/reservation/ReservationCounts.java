package io.ivs.server.reservation;

/** How many reservations of an environment hold a quantity now, for an at-a-glance page. */
public interface ReservationCounts {
    /**
     * Reservations with a quantity other than 0, counted up to {@code countMax}: a count that
     * reaches it means "at least", so the cost stays bounded in a large environment.
     */
    long held(String environmentId, int countMax);
}
