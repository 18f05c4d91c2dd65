package io.ivs.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.time.Instant;

/** When a hold lapses, and which terms are refused, naming the field. */
class HoldTermsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void expiry_ttlSeconds_countsFromNow() {
        assertThat(HoldTerms.forSeconds(90).expiry(NOW)).isEqualTo(NOW.plusSeconds(90));
    }

    @Test
    void expiry_futureInstant_isThatInstant() {
        Instant at = NOW.plusSeconds(5);
        assertThat(HoldTerms.at(at).expiry(NOW)).isEqualTo(at);
    }

    @Test
    void expiry_bothGiven_isRefusedNamingTtlSeconds() {
        assertThatThrownBy(() -> new HoldTerms(NOW.plusSeconds(5), 5L).expiry(NOW))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ttlSeconds");
    }

    @Test
    void expiry_instantNowOrPast_isRefusedNamingExpiresAt() {
        assertThatThrownBy(() -> HoldTerms.at(NOW).expiry(NOW))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expiresAt");
    }

    @Test
    void expiry_beyondThirtyDays_isRefused() {
        long max = HoldTerms.TTL_SECONDS_MAX;
        assertThat(HoldTerms.forSeconds(max).expiry(NOW)).isEqualTo(NOW.plusSeconds(max));
        assertThatThrownBy(() -> HoldTerms.forSeconds(max + 1).expiry(NOW))
                .hasMessageContaining("ttlSeconds");
        assertThatThrownBy(() -> HoldTerms.at(NOW.plusSeconds(max + 1)).expiry(NOW))
                .hasMessageContaining("expiresAt");
    }

    @Test
    void expiry_zeroOrNegativeTtl_isRefused() {
        assertThatThrownBy(() -> HoldTerms.forSeconds(0).expiry(NOW))
                .hasMessageContaining("ttlSeconds");
        assertThatThrownBy(() -> HoldTerms.forSeconds(-1).expiry(NOW))
                .hasMessageContaining("ttlSeconds");
    }

    @Test
    void releaseEventId_isTheSameForOneExpiryAndDiffersForAnother() {
        Instant at = NOW.plusSeconds(60);
        assertThat(Holds.eventId("r1", at)).isEqualTo(Holds.eventId("r1", at));
        assertThat(Holds.eventId("r1", at)).isNotEqualTo(Holds.eventId("r1", at.plusMillis(1)));
    }
}
