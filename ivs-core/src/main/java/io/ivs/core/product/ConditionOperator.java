package io.ivs.core.product;

import io.ivs.core.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a condition compares a field (or an attribute's values) with the values it lists. Text is
 * compared without regard to case. A condition with several values matches when any of them
 * matches; the two negative operators are the exact negation of their positive twins, so a
 * product whose field matches none of the values (or that lacks the attribute) is selected.
 */
public enum ConditionOperator {
    IS_EXACTLY("IsExactly", 1, ProductSearch.VALUES_PER_CONDITION_MAX, false),
    IS_NOT("IsNot", 1, ProductSearch.VALUES_PER_CONDITION_MAX, true),
    CONTAINS("Contains", 1, ProductSearch.VALUES_PER_CONDITION_MAX, false),
    DOES_NOT_CONTAIN("DoesNotContain", 1, ProductSearch.VALUES_PER_CONDITION_MAX, true),
    BEGINS_WITH("BeginsWith", 1, ProductSearch.VALUES_PER_CONDITION_MAX, false),
    IS_ONE_OF("IsOneOf", 1, ProductSearch.VALUES_PER_CONDITION_MAX, false),
    /** At least the one value: numerically when both sides are numbers, else as text. */
    GREATER_EQUAL("GreaterEqual", 1, 1, false),
    LESS_EQUAL("LessEqual", 1, 1, false),
    /** From the first value to the second, both included. */
    BETWEEN("Between", 2, 2, false);

    private final String wireName;
    private final int valuesMin;
    private final int valuesMax;
    private final boolean negative;

    ConditionOperator(String wireName, int valuesMin, int valuesMax, boolean negative) {
        this.wireName = wireName;
        this.valuesMin = valuesMin;
        this.valuesMax = valuesMax;
        this.negative = negative;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the operator selects the products its positive twin does not. */
    public boolean negative() {
        return negative;
    }

    /** The operator named {@code text}, in any case (IV's examples write {@code contains}). */
    public static ConditionOperator parse(String field, String text) {
        for (ConditionOperator operator : values()) {
            if (operator.wireName.equalsIgnoreCase(text.strip())) {
                return operator;
            }
        }
        throw new InvalidInputException(
                field, "'" + text + "' is not a condition operator; use one of " + names());
    }

    /** Checks that a condition gives as many values as this operator takes. */
    public void requireValueCount(String field, int count) {
        if (count < valuesMin || count > valuesMax) {
            String wanted = valuesMin == valuesMax
                    ? "exactly " + valuesMin
                    : valuesMin + " to " + valuesMax;
            throw new InvalidInputException(
                    field,
                    wireName + " takes " + wanted + " value" + (valuesMax == 1 ? "" : "s")
                            + ", not " + count);
        }
    }

    static String names() {
        return Arrays.stream(values())
                .map(ConditionOperator::wireName)
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
