package io.ivs.core.product;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The meaning of a product search, evaluated on one product in memory. The store compiles the
 * same search to SQL; this plain version is the reference the SQL is tested against, and the
 * place to read what each operator means.
 *
 * <p>Text is compared without case ({@link Locale#ROOT} lower case), and ordered character by
 * character.
 * {@code GreaterEqual}, {@code LessEqual} and {@code Between} compare numbers when the values
 * given are numbers: then a field that is not a number matches nothing; otherwise they compare
 * text.
 */
public final class ProductMatcher {
    /** A plain decimal number, the same pattern the SQL uses: no exponent, no spaces. */
    public static final String NUMBER_PATTERN = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$";

    private static final Pattern NUMBER = Pattern.compile(NUMBER_PATTERN);

    private ProductMatcher() {}

    public static boolean matches(ProductSearch search, Product product) {
        return (search.productFilter() == null || matches(search.productFilter(), product))
                && (search.attributeFilter() == null || matches(search.attributeFilter(), product));
    }

    static boolean matches(SearchFilter filter, Product product) {
        boolean and = filter.operator() == LogicalOperator.AND;
        for (SearchCondition condition : filter.conditions()) {
            if (matches(condition, product) != and) {
                return !and;
            }
        }
        for (SearchFilter sub : filter.subFilters()) {
            if (matches(sub, product) != and) {
                return !and;
            }
        }
        return and;
    }

    private static boolean matches(SearchCondition condition, Product product) {
        boolean positive = switch (condition) {
            case SearchCondition.OnProduct on ->
                holds(on.operator(), product.field(on.field()), on.values());
            case SearchCondition.OnAttribute on -> attributeHolds(on, product.attributes());
        };
        return positive != condition.operator().negative();
    }

    private static boolean attributeHolds(
            SearchCondition.OnAttribute on, List<ProductAttribute> attributes) {
        for (ProductAttribute attribute : attributes) {
            boolean named = attribute.name().equalsIgnoreCase(on.name())
                    && (on.typeName() == null
                            || attribute.typeName().equalsIgnoreCase(on.typeName()))
                    && (on.area() == null || attribute.area() == on.area());
            if (named) {
                for (String value : attribute.values()) {
                    if (holds(on.operator(), value, on.values())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The positive form of the operator on one text: any value matches. */
    static boolean holds(ConditionOperator operator, String text, List<String> values) {
        String field = lower(text);
        return switch (operator) {
            case IS_EXACTLY, IS_NOT, IS_ONE_OF ->
                values.stream().anyMatch(value -> field.equals(lower(value)));
            case CONTAINS, DOES_NOT_CONTAIN ->
                values.stream().anyMatch(value -> field.contains(lower(value)));
            case BEGINS_WITH -> values.stream().anyMatch(value -> field.startsWith(lower(value)));
            case GREATER_EQUAL -> inRange(text, values.get(0), null);
            case LESS_EQUAL -> inRange(text, null, values.get(0));
            case BETWEEN -> inRange(text, values.get(0), values.get(1));
        };
    }

    /** Whether the text lies between the bounds given (both included). */
    private static boolean inRange(String text, @Nullable String low, @Nullable String high) {
        List<String> bounds = new ArrayList<>(2);
        if (low != null) {
            bounds.add(low);
        }
        if (high != null) {
            bounds.add(high);
        }
        if (numeric(bounds)) {
            return isNumber(text)
                    && (low == null || number(text).compareTo(number(low)) >= 0)
                    && (high == null || number(text).compareTo(number(high)) <= 0);
        }
        String field = lower(text);
        return (low == null || field.compareTo(lower(low)) >= 0)
                && (high == null || field.compareTo(lower(high)) <= 0);
    }

    /** Whether range operators compare these values as numbers: all of them are numbers. */
    public static boolean numeric(List<String> values) {
        return values.stream().allMatch(ProductMatcher::isNumber);
    }

    public static boolean isNumber(String text) {
        return NUMBER.matcher(text).matches();
    }

    private static BigDecimal number(String text) {
        return new BigDecimal(text);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
