package io.ivs.core.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A map whose changes inside a transaction can be undone: the first change of a key keeps a
 * copy of its value as it was, and a rollback puts those copies back. Values are mutable rows,
 * so a caller changes a value only through {@link #forUpdate}, which takes the copy first.
 */
final class TransactionalMap<K, V> {
    private final Map<K, V> values = new LinkedHashMap<>();
    private final Map<K, Optional<V>> before = new HashMap<>();
    private final UnaryOperator<V> copy;

    TransactionalMap(UnaryOperator<V> copy) {
        this.copy = copy;
    }

    V get(K key) {
        return values.get(key);
    }

    Collection<V> values() {
        return values.values();
    }

    Map<K, V> view() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The value to change, made by {@code create} when absent. */
    V forUpdate(K key, Function<K, V> create) {
        remember(key);
        return values.computeIfAbsent(key, create);
    }

    void put(K key, V value) {
        remember(key);
        values.put(key, value);
    }

    /** Removes every entry {@code doomed} accepts; answers how many went. */
    int removeIf(Predicate<Map.Entry<K, V>> doomed) {
        int removed = 0;
        for (Map.Entry<K, V> entry : Map.copyOf(values).entrySet()) {
            if (doomed.test(entry)) {
                remember(entry.getKey());
                values.remove(entry.getKey());
                removed++;
            }
        }
        return removed;
    }

    private void remember(K key) {
        if (!before.containsKey(key)) {
            V value = values.get(key);
            before.put(key, value == null ? Optional.empty() : Optional.of(copy.apply(value)));
        }
    }

    void commit() {
        before.clear();
    }

    void rollback() {
        before.forEach((key, value) -> {
            if (value.isPresent()) {
                values.put(key, value.get());
            } else {
                values.remove(key);
            }
        });
        before.clear();
    }
}
