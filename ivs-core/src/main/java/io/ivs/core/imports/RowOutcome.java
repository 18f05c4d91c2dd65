package io.ivs.core.imports;

/** A row turned into an item, or refused with the reason. */
public sealed interface RowOutcome<T> {
    long line();

    record Accepted<T>(long line, T item) implements RowOutcome<T> {}

    record Rejected<T>(long line, String reason) implements RowOutcome<T> {}
}
