package io.ivs.server.adjustment;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Adjustments and collections as the API answers them. */
final class AdjustmentJson {
    private AdjustmentJson() {}

    static Map<String, @Nullable Object> adjustment(StoredAdjustment stored) {
        Adjustment a = stored.adjustment();
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("id", a.id());
        row.put("organizationId", a.organizationId());
        row.put("productId", a.productId());
        row.put("quantityDataSource", a.quantityDataSource());
        row.put("physicalMeasure", a.physicalMeasure());
        row.put("dimensions", a.dimensions());
        row.put("quantity", a.quantity());
        row.put("externalReferenceCategory", a.externalReferenceCategory());
        row.put("externalReferenceId", a.externalReferenceId());
        row.put("fnoJournalNameId", a.journalNameId());
        row.put("costPrice", a.costPrice());
        row.put("transDate", text(a.transDate()));
        row.put("status", stored.status());
        row.put("message", stored.message());
        row.put("createdAt", text(stored.createdAt()));
        row.put("postedAt", text(stored.postedAt()));
        row.put("collectionId", stored.collectionId());
        row.put("collectedAt", text(stored.collectedAt()));
        row.put("acknowledgedAt", text(stored.acknowledgedAt()));
        row.put("clientId", stored.clientId());
        return row;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    /** What makes two adjustments one journal line: all but the id and the quantity. */
    private record LineKey(
            String journal,
            String organizationId,
            String productId,
            String dataSource,
            String measure,
            Map<String, String> dimensions,
            @Nullable LocalDate transDate,
            @Nullable BigDecimal costPrice) {
        static LineKey of(Adjustment a) {
            Map<String, String> dims = new TreeMap<>();
            a.dimensions().forEach((k, v) -> dims.put(k.toLowerCase(Locale.ROOT), v));
            return new LineKey(
                    a.journalNameId(),
                    a.organizationId(),
                    a.productId(),
                    a.quantityDataSource().toLowerCase(Locale.ROOT),
                    a.physicalMeasure().toLowerCase(Locale.ROOT),
                    dims,
                    a.transDate(),
                    a.costPrice() == null ? null : a.costPrice().stripTrailingZeros());
        }
    }

    /**
     * A collection: its adjustments summed per journal into lines of equal dimension values,
     * date and cost price (the original's aggregated adjustment lines). A line whose quantities
     * cancel out has status {@code DoNotSync}, the others {@code Created}.
     */
    static Map<String, @Nullable Object> collection(Adjustments.Collection collection) {
        Map<LineKey, List<Adjustment>> lines = new LinkedHashMap<>();
        for (StoredAdjustment stored : collection.adjustments()) {
            lines.computeIfAbsent(LineKey.of(stored.adjustment()), k -> new ArrayList<>())
                    .add(stored.adjustment());
        }
        Map<String, List<Map<String, @Nullable Object>>> journals = new TreeMap<>();
        lines.forEach((key, adjustments) -> journals.computeIfAbsent(
                        key.journal(), j -> new ArrayList<>())
                .add(line(key, adjustments)));
        List<Map<String, Object>> journalList = new ArrayList<>();
        journals.forEach((journal, journalLines) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("fnoJournalNameId", journal);
            entry.put("lines", journalLines);
            journalList.add(entry);
        });
        Map<String, @Nullable Object> answer = new LinkedHashMap<>();
        boolean empty = collection.adjustments().isEmpty();
        answer.put("collectionId", empty ? null : collection.collectionId());
        answer.put("adjustmentCount", collection.adjustments().size());
        answer.put("journals", journalList);
        return answer;
    }

    private static Map<String, @Nullable Object> line(LineKey key, List<Adjustment> adjustments) {
        BigDecimal quantity = adjustments.stream()
                .map(Adjustment::quantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Adjustment first = Objects.requireNonNull(adjustments.get(0));
        Map<String, @Nullable Object> line = new LinkedHashMap<>();
        line.put("organizationId", key.organizationId());
        line.put("productId", key.productId());
        line.put("quantityDataSource", first.quantityDataSource());
        line.put("physicalMeasure", first.physicalMeasure());
        line.put("dimensions", first.dimensions());
        line.put("transDate", text(key.transDate()));
        line.put("costPrice", key.costPrice());
        line.put("quantity", quantity);
        line.put("status", quantity.signum() == 0 ? "DoNotSync" : "Created");
        line.put("adjustmentIds", adjustments.stream().map(Adjustment::id).toList());
        return line;
    }
}
