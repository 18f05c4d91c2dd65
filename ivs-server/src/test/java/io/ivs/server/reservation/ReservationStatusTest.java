package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.reservation.ReservationResult.Reason;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

/**
 * The statuses of reservation rejections in both modes of {@code
 * ivs.reservation.rejection-status}: as the original service (500) and proper codes (409).
 */
class ReservationStatusTest {

    private static Map<Reason, Integer> statuses(int rejectionStatus) {
        Map<Reason, Integer> statuses = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            statuses.put(reason, ReservationController.status(reason, rejectionStatus));
        }
        return statuses;
    }

    @Test
    void status_ivMode_answers500ForRefusalsNegativeCheckedAndMissingPartition() {
        assertThat(statuses(500))
                .containsEntry(Reason.INSUFFICIENT_AVAILABILITY, 500)
                .containsEntry(Reason.NEGATIVE_CHECKED, 500)
                .containsEntry(Reason.MISSING_PARTITION, 500)
                .containsEntry(Reason.INVALID, 400)
                .containsEntry(Reason.DISABLED, 400)
                .containsEntry(Reason.FORBIDDEN, 403)
                .containsEntry(Reason.NOT_FOUND, 404)
                .containsEntry(Reason.CONFLICT, 409);
    }

    @Test
    void status_properMode_answers409ForRefusalsAnd400ForBadInput() {
        assertThat(statuses(409))
                .containsEntry(Reason.INSUFFICIENT_AVAILABILITY, 409)
                .containsEntry(Reason.NEGATIVE_CHECKED, 400)
                .containsEntry(Reason.MISSING_PARTITION, 400)
                .containsEntry(Reason.INVALID, 400)
                .containsEntry(Reason.CONFLICT, 409);
        assertThat(statuses(409).values()).allMatch(status -> status < 500);
    }

    @Test
    void constructor_unsupportedRejectionStatus_isRefusedAtStartUp() {
        assertThatThrownBy(() -> new ReservationController(null, null, null, null, 422))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ivs.reservation.rejection-status");
    }
}
