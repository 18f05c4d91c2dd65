package io.ivs.server.ingest;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * The headers of an ingested message and of a dead letter. Names are matched case-insensitively
 * (DESIGN D8), so {@code IVS-Kind} works as well as {@code ivs-kind}.
 */
final class IngestHeaders {
    static final String KIND = "ivs-kind";
    static final String ENVIRONMENT = "ivs-environment";
    static final String DATA_SOURCE = "ivs-data-source";
    static final String SYNC_ID = "ivs-sync-id";
    static final String SYNC_ACTION = "ivs-sync-action";

    static final String DLQ_REASON = "ivs-dlq-reason";
    static final String DLQ_TOPIC = "ivs-dlq-topic";
    static final String DLQ_PARTITION = "ivs-dlq-partition";
    static final String DLQ_OFFSET = "ivs-dlq-offset";
    static final String DLQ_REFUSED_IDS = "ivs-dlq-refused-ids";

    /** A header value longer than this is cut: the longest field or reason is far shorter. */
    static final int VALUE_CHARS_MAX = 256;

    private IngestHeaders() {}

    /**
     * The last header called {@code name}, stripped; null when absent or blank.
     *
     * @throws IllegalArgumentException when the value is too long to be a name
     */
    static @Nullable String text(Headers headers, String name) {
        String found = null;
        for (Header header : headers) {
            if (header.key().equalsIgnoreCase(name) && header.value() != null) {
                found = new String(header.value(), StandardCharsets.UTF_8).strip();
            }
        }
        if (found != null && found.length() > VALUE_CHARS_MAX) {
            throw new IllegalArgumentException(
                    "header " + name + " is longer than " + VALUE_CHARS_MAX + " characters");
        }
        return found == null || found.isEmpty() ? null : found;
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
