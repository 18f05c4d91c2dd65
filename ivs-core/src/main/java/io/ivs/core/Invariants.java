package io.ivs.core;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.Locale;

/**
 * Checks, in production code, of states that the code's own rules make impossible (TigerBeetle's
 * habit): a reservation that is told to release a negative quantity, an allocation bucket below
 * zero, a store that answers for more or fewer items than it was given. A failed check throws
 * {@link InvariantViolation}. Checks stay on in production because each costs a comparison, while
 * a wrong state that travels on silently (clamped, skipped, defaulted) costs far more to find.
 *
 * <p>Check before the transaction commits, so that a failure rolls back what the request wrote.
 * Input that breaks an API rule is not an invariant: reject it with the field it concerns.
 *
 * <p>Messages are {@link String#format} patterns with {@code %s}; they are formatted only when a
 * check fails, and the overloads with one or two arguments allocate nothing when it passes.
 */
public final class Invariants {
    private Invariants() {}

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new InvariantViolation(message);
        }
    }

    public static void check(boolean condition, String messageFormat, @Nullable Object arg) {
        if (!condition) {
            throw violated(messageFormat, arg);
        }
    }

    public static void check(
            boolean condition, String messageFormat, @Nullable Object arg1, @Nullable Object arg2) {
        if (!condition) {
            throw violated(messageFormat, arg1, arg2);
        }
    }

    public static void check(boolean condition, String messageFormat, @Nullable Object... args) {
        if (!condition) {
            throw violated(messageFormat, args);
        }
    }

    /**
     * The failure for a branch that cannot be reached (an unknown stored value, say), to throw:
     * {@code throw Invariants.violated("unknown kind %s", kind)}.
     */
    public static InvariantViolation violated(String messageFormat, @Nullable Object... args) {
        return new InvariantViolation(format(messageFormat, args));
    }

    /** Never fails itself: a broken pattern must not hide the violation it describes. */
    private static String format(String messageFormat, @Nullable Object... args) {
        try {
            return String.format(Locale.ROOT, messageFormat, args);
        } catch (IllegalFormatException e) {
            return messageFormat + " " + Arrays.toString(args);
        }
    }
}
