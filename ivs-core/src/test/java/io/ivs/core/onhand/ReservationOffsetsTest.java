package io.ivs.core.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.Rejection;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ReservationOffsets.Held;
import io.ivs.core.onhand.ReservationOffsets.LedgerKey;
import io.ivs.core.onhand.ReservationOffsets.Refusal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class ReservationOffsetsTest {
    private static final EnvironmentId ENV = EnvironmentId.of("e1");
    private static final DimensionSet SITE = DimensionSet.of(Map.of("siteid", "1"));
    private static final DimensionSet RED =
            DimensionSet.of(Map.of("siteid", "1", "locationid", "11", "colorid", "red"));

    private static ResolvedChange set(String id, DimensionSet dims, String reservation, int qty) {
        TreeMap<MeasureRef, BigDecimal> quantities = new TreeMap<>();
        quantities.put(new MeasureRef("fno", "physicalinvent"), BigDecimal.ONE);
        return new ResolvedChange(
                EventId.of(id),
                new RecordKey(ENV, "usmf", "P1", dims),
                "p",
                quantities,
                null,
                List.of(new ReservationOffset(reservation, BigDecimal.valueOf(qty))));
    }

    private static Map<LedgerKey, Held> held(String reservation, int quantity, DimensionSet at) {
        return Map.of(
                new LedgerKey(RecordKey.productKey(ENV, "usmf", "P1"), reservation),
                new Held(BigDecimal.valueOf(quantity), at));
    }

    @Test
    void refusals_offsetsWithinWhatIsHeld_acceptedInOrderUntilItRunsOut() {
        List<ResolvedChange> events =
                List.of(set("a", RED, "r1", 2), set("b", RED, "r1", 2), set("c", RED, "r1", 1));

        Map<EventId, Refusal> refused = ReservationOffsets.refusals(events, held("r1", 3, SITE));

        assertThat(refused).containsOnlyKeys(EventId.of("b"));
        assertThat(refused.get(EventId.of("b")).reason()).isEqualTo(Rejection.INVALID);
        assertThat(refused.get(EventId.of("b")).message())
                .startsWith("reservationOffsets[0].quantity: 2 is more than the 1");
    }

    @Test
    void refusals_unknownReservation_isNotFound() {
        Map<EventId, Refusal> refused =
                ReservationOffsets.refusals(List.of(set("a", RED, "r9", 1)), held("r1", 3, SITE));

        assertThat(refused.get(EventId.of("a")).reason()).isEqualTo(Rejection.NOT_FOUND);
    }

    @Test
    void refusals_reservationHeldBelowTheRecordsLevel_isRefused() {
        Map<EventId, Refusal> refused =
                ReservationOffsets.refusals(List.of(set("a", SITE, "r1", 1)), held("r1", 3, RED));

        assertThat(refused.get(EventId.of("a")).reason()).isEqualTo(Rejection.INVALID);
        assertThat(refused.get(EventId.of("a")).message()).contains("does not lie in");
    }

    @Test
    void fingerprint_offsets_makeADifferentEvent() {
        assertThat(set("a", RED, "r1", 1).fingerprint())
                .isNotEqualTo(set("a", RED, "r1", 2).fingerprint());
    }
}
