package io.ivs.core;

/**
 * A state that the code's own rules make impossible was found: a bug in IVS, or data changed
 * behind its back. It is never the caller's fault, so the HTTP layer answers 500 with the request
 * id and logs it as an error; bad input is an {@link InvalidInputException} or a rejection reason
 * instead.
 *
 * <p>It is unchecked and a {@link RuntimeException}, not an {@link Error}: a server must fail the
 * one request that met the broken state and roll back its transaction, not the process, and the
 * places that keep one request's failure from reaching others catch {@code RuntimeException}
 * (a combined reserve transaction runs its requests alone again, a clean-up job records its
 * failure, background loops log and retry). An {@code Error} would pass through them and fail
 * innocent requests with it. It extends {@code RuntimeException} directly, not
 * {@link IllegalStateException}, so that code that catches an expected illegal state never
 * swallows it.
 */
public final class InvariantViolation extends RuntimeException {
    InvariantViolation(String message) {
        super("invariant violated: " + message);
    }
}
