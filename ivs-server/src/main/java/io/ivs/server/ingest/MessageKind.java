package io.ivs.server.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a Kafka message holds, from its header {@code ivs-kind} or its source's default. */
enum MessageKind {
    /** One on-hand change event, or an array of them as {@code .../onhand/bulk} takes. */
    ONHAND("onhand"),
    /** Set-on-hand records of one data source, as {@code .../setonhand/{ds}/bulk} takes. */
    SETONHAND("setonhand"),
    /** One step of a full sync of one data source: begin, records, complete or abort. */
    SYNC("sync");

    private final String wireName;

    MessageKind(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<MessageKind> parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(kind -> kind.wireName.equals(wanted))
                .findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(MessageKind::wireName).collect(Collectors.joining(", "));
    }
}
