package io.ivs.core.reservation;

import java.math.BigDecimal;

/** The answer to reversing one reservation. */
public sealed interface Reversal {
    /** Its remaining quantity was released. */
    record Reversed(BigDecimal released) implements Reversal {}

    /** It holds nothing (released, or cancelled below zero): nothing to release. */
    record NothingHeld() implements Reversal {}

    /** The unreserve was refused, for the reason given; nothing changed. */
    record Refused(String message) implements Reversal {}
}
