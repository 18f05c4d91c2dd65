package io.ivs.core;

/** A write to something API callers may only read, such as the {@code fno} data source. */
public final class ReadOnlyException extends InvalidInputException {
    public ReadOnlyException(String field, String message) {
        super(field, message);
    }
}
