package io.ivs.core.product;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** One condition of a product search filter. */
public sealed interface SearchCondition {
    ConditionOperator operator();

    /** The values the operator compares with, as sent. */
    List<String> values();

    /** A condition on one product field, e.g. {@code productName Contains "deluxe"}. */
    record OnProduct(ConditionOperator operator, ProductField field, List<String> values)
            implements SearchCondition {
        public OnProduct {
            values = List.copyOf(values);
        }
    }

    /**
     * A condition on the values of the attributes named {@code name}; a type name or area, when
     * given, narrows which attributes count.
     */
    record OnAttribute(
            ConditionOperator operator,
            String name,
            @Nullable String typeName,
            @Nullable AttributeArea area,
            List<String> values)
            implements SearchCondition {
        public OnAttribute {
            values = List.copyOf(values);
        }
    }
}
