package io.ivs.core.product;

import io.ivs.core.InvalidInputException;

/** How a filter joins its conditions and sub-filters. */
public enum LogicalOperator {
    AND,
    OR;

    /** {@code And} or {@code Or}, in any case. */
    public static LogicalOperator parse(String field, String text) {
        if (text.strip().equalsIgnoreCase("and")) {
            return AND;
        }
        if (text.strip().equalsIgnoreCase("or")) {
            return OR;
        }
        throw new InvalidInputException(field, "'" + text + "' is not And or Or");
    }
}
