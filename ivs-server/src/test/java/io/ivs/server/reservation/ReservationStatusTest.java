package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.Rejection;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

/**
 * The statuses of every rejection code in both modes of {@code ivs.reservation.rejection-status}:
 * as the original service (500) and proper codes (409). On-hand, schedule and allocation answers
 * map through the same table in the original service's mode.
 */
class ReservationStatusTest {

    private static Map<Rejection, Integer> statuses(int rejectionStatus) {
        Map<Rejection, Integer> statuses = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            statuses.put(reason, ReservationController.status(reason, rejectionStatus));
        }
        return statuses;
    }

    @Test
    void status_ivMode_answers500ForRefusalsNegativeCheckedAndMissingPartition() {
        assertThat(statuses(500))
                .containsEntry(Rejection.INSUFFICIENT_AVAILABILITY, 500)
                .containsEntry(Rejection.NEGATIVE_CHECKED, 500)
                .containsEntry(Rejection.MISSING_PARTITION, 500)
                .containsEntry(Rejection.INVALID, 400)
                .containsEntry(Rejection.DISABLED, 400)
                .containsEntry(Rejection.FORBIDDEN, 403)
                .containsEntry(Rejection.NOT_FOUND, 404)
                .containsEntry(Rejection.CONFLICT, 409)
                .containsEntry(Rejection.INSUFFICIENT_TO_ALLOCATE, 409);
    }

    @Test
    void status_properMode_answers409ForRefusalsAnd400ForBadInput() {
        assertThat(statuses(409))
                .containsEntry(Rejection.INSUFFICIENT_AVAILABILITY, 409)
                .containsEntry(Rejection.NEGATIVE_CHECKED, 400)
                .containsEntry(Rejection.MISSING_PARTITION, 400)
                .containsEntry(Rejection.INVALID, 400)
                .containsEntry(Rejection.CONFLICT, 409);
        assertThat(statuses(409).values()).allMatch(status -> status < 500);
    }

    @Test
    void constructor_unsupportedRejectionStatus_isRefusedAtStartUp() {
        assertThatThrownBy(() -> new ReservationController(null, null, null, null, 422, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ivs.reservation.rejection-status");
    }
}
