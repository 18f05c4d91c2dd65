package io.ivs.core.dimension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

class DimensionSetTest {
    /** Pieces that stress the encoding: the separator, the escape character and what follows. */
    private static final List<String> TOKENS =
            List.of("a", "b", "u", "=", "\\", "\u001f", "\\u", "\\\\", "a=b", "sizeid=", "");

    private static final List<String> NAMES = List.of("colorid", "sizeid", "siteid", "locationid");

    @Test
    void key_entriesInsertedInAnyOrder_isTheSame() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("colorid", "red");
        forward.put("siteid", "1");
        forward.put("locationid", "11");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("locationid", "11");
        backward.put("siteid", "1");
        backward.put("colorid", "red");

        DimensionSet a = DimensionSet.of(forward);
        DimensionSet b = DimensionSet.of(backward);

        assertThat(a.key()).isEqualTo(b.key());
        assertThat(a).isEqualTo(b);
        assertThat(a.key()).startsWith("colorid=red");
    }

    @Test
    void key_sortedMapWithAnotherComparator_isTheSameAsNaturalOrder() {
        TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("colorid", "red");
        reversed.put("siteid", "1");
        DimensionSet natural = DimensionSet.of(Map.of("colorid", "red", "siteid", "1"));

        DimensionSet fromReversed = new DimensionSet(reversed);

        assertThat(fromReversed).isEqualTo(natural);
        assertThat(fromReversed.key())
                .as("equal sets must share the canonical key")
                .isEqualTo(natural.key());
    }

    @Test
    void key_valueContainingSeparatorAndName_doesNotCollideWithTwoEntries() {
        DimensionSet two = DimensionSet.of(Map.of("colorid", "a", "sizeid", "b"));
        DimensionSet one = DimensionSet.of(Map.of("colorid", "a\u001fsizeid=b"));

        assertThat(one.key()).isNotEqualTo(two.key());
    }

    @Test
    void key_escapedSeparatorSpelledOut_doesNotCollideWithSeparator() {
        DimensionSet separator = DimensionSet.of(Map.of("colorid", "\u001f"));
        DimensionSet spelled = DimensionSet.of(Map.of("colorid", "\\u"));
        DimensionSet backslash = DimensionSet.of(Map.of("colorid", "\\"));
        DimensionSet twoBackslashes = DimensionSet.of(Map.of("colorid", "\\\\"));

        List<String> keys =
                List.of(separator.key(), spelled.key(), backslash.key(), twoBackslashes.key());

        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void key_trailingBackslashBeforeNextEntry_doesNotCollide() {
        DimensionSet two = DimensionSet.of(Map.of("colorid", "x\\", "sizeid", "y"));
        DimensionSet one = DimensionSet.of(Map.of("colorid", "x\\\u001fsizeid=y"));

        assertThat(one.key()).isNotEqualTo(two.key());
    }

    @Test
    void key_emptyValueAndMissingDimension_differ() {
        DimensionSet empty = DimensionSet.of(Map.of("colorid", "red", "sizeid", ""));
        DimensionSet missing = DimensionSet.of(Map.of("colorid", "red"));

        assertThat(empty.key()).isNotEqualTo(missing.key());
    }

    /**
     * Random sets over a tiny alphabet of troublesome pieces: two sets share a key exactly when
     * they are equal, and the insertion order never changes the key.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 7L, 42L, 1_234L, 99_991L, 20_260_101L, 314_159_265L, 8_675_309L})
    void key_randomSets_equalExactlyWhenSetsAreEqual(long seed) {
        Random random = new Random(seed);
        Map<String, Map<String, String>> setByKey = new HashMap<>();
        for (int n = 0; n < 2_000; n++) {
            Map<String, String> values = randomValues(random);
            String key = DimensionSet.of(values).key();
            Map<String, String> earlier = setByKey.putIfAbsent(key, values);
            if (earlier != null) {
                assertThat(values)
                        .as(
                                "seed %d: key %s is shared by %s and %s",
                                seed,
                                printable(key),
                                printable(earlier.toString()),
                                printable(values.toString()))
                        .isEqualTo(earlier);
            }
            assertThat(DimensionSet.of(shuffled(values, random)).key())
                    .as("seed %d: insertion order changed the key of %s", seed, values)
                    .isEqualTo(key);
        }
        assertThat(setByKey.size())
                .as("seed %d: the generator should produce many distinct sets", seed)
                .isGreaterThan(200);
    }

    /** Query readers decode stored keys: every key must give back exactly its set. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3L, 11L, 2_026L, 77_777L})
    void fromKey_randomSets_givesBackTheSameSet(long seed) {
        Random random = new Random(seed);
        for (int n = 0; n < 2_000; n++) {
            Map<String, String> values = randomValues(random);
            DimensionSet set = DimensionSet.of(values);

            DimensionSet decoded = DimensionSet.fromKey(set.key());

            assertThat(decoded.values())
                    .as("seed %d: key %s", seed, printable(set.key()))
                    .isEqualTo(new TreeMap<>(values));
            assertThat(decoded.key()).isEqualTo(set.key());
        }
    }

    @Test
    void fromKey_emptyKey_isTheEmptySet() {
        assertThat(DimensionSet.fromKey("").values()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"colorid", "siteid=1\u001fcolorid=red", "colorid=a\u001f", "a=\\x"})
    void fromKey_textThatIsNoCanonicalKey_isRefused(String key) {
        assertThatThrownBy(() -> DimensionSet.fromKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension key");
    }

    private static Map<String, String> randomValues(Random random) {
        Map<String, String> values = new HashMap<>();
        for (String name : NAMES) {
            if (random.nextInt(3) > 0) {
                StringBuilder value = new StringBuilder();
                int pieces = random.nextInt(4);
                for (int p = 0; p < pieces; p++) {
                    value.append(TOKENS.get(random.nextInt(TOKENS.size())));
                }
                values.put(name, value.toString());
            }
        }
        return values;
    }

    private static Map<String, String> shuffled(Map<String, String> values, Random random) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(values.entrySet());
        Collections.shuffle(entries, random);
        Map<String, String> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries) {
            ordered.put(entry.getKey(), entry.getValue());
        }
        return ordered;
    }

    private static String printable(String key) {
        return key.replace("\u001f", "<US>");
    }
}
