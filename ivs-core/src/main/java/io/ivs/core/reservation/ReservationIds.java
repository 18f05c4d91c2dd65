package io.ivs.core.reservation;

import io.ivs.core.NameUuids;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.measure.MeasureRef;

/**
 * Reservation ids (A8): not one per call but one per (organization, product, reservation measure,
 * resolved dimensions), so repeated reservations at one level share an id, as IV documents. The id
 * is a name-based UUID of those values: stable, opaque and the same on every instance.
 */
public final class ReservationIds {
    private ReservationIds() {}

    public static String of(
            String organizationId, String productId, MeasureRef measure, DimensionSet dims) {
        String name = organizationId
                + '\u0000'
                + productId
                + '\u0000'
                + measure.qualified()
                + '\u0000'
                + dims.key();
        return NameUuids.of(name).toString();
    }
}
