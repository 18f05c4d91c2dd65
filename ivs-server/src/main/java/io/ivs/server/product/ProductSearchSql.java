package io.ivs.server.product;

import io.ivs.core.product.ConditionOperator;
import io.ivs.core.product.LogicalOperator;
import io.ivs.core.product.ProductField;
import io.ivs.core.product.ProductMatcher;
import io.ivs.core.product.ProductSearch;
import io.ivs.core.product.SearchCondition;
import io.ivs.core.product.SearchFilter;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A product search compiled to one SQL statement with every value a parameter: the text is built
 * only from fixed fragments chosen by the filter's shape (operators, fields, nesting), so a value
 * can never become SQL. The meaning is {@link ProductMatcher}'s, which the tests hold it to.
 *
 * <p>Equality, prefix and range conditions compare {@code lower(column) collate "C"}, the
 * expression the btree indexes of migration V20 are built on; {@code Contains} is {@code ILIKE
 * '%value%'}, which the trigram indexes serve.
 */
final class ProductSearchSql {
    /** The statement and its parameters, in order. */
    record Statement(String sql, List<Object> parameters) {}

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private ProductSearchSql() {}

    /**
     * The distinct item numbers of the products that match, in the given organizations (all when
     * the list is empty), at most {@code limit} of them.
     */
    static Statement select(
            String environmentId, List<String> organizations, ProductSearch search, int limit) {
        ProductSearchSql out = new ProductSearchSql();
        out.sql.append("select distinct p.item_number from product p where p.environment_id = ?");
        out.parameters.add(environmentId);
        if (!organizations.isEmpty()) {
            out.sql.append(" and p.organization_id = any(?::text[])");
            out.parameters.add(organizations.toArray(String[]::new));
        }
        if (search.productFilter() != null) {
            out.sql.append(" and ");
            out.filter(search.productFilter());
        }
        if (search.attributeFilter() != null) {
            out.sql.append(" and ");
            out.filter(search.attributeFilter());
        }
        out.sql.append(" limit ?");
        out.parameters.add(limit);
        return new Statement(out.sql.toString(), List.copyOf(out.parameters));
    }

    private void filter(SearchFilter filter) {
        String join = filter.operator() == LogicalOperator.AND ? " and " : " or ";
        sql.append('(');
        boolean first = true;
        for (SearchCondition condition : filter.conditions()) {
            first = separate(first, join);
            condition(condition);
        }
        for (SearchFilter sub : filter.subFilters()) {
            first = separate(first, join);
            filter(sub);
        }
        sql.append(')');
    }

    private boolean separate(boolean first, String join) {
        if (!first) {
            sql.append(join);
        }
        return false;
    }

    private void condition(SearchCondition condition) {
        if (condition.operator().negative()) {
            sql.append("not ");
        }
        switch (condition) {
            case SearchCondition.OnProduct on ->
                predicate(on.operator(), column(on.field()), on.values());
            case SearchCondition.OnAttribute on -> attribute(on);
        }
    }

    /** Whether one of the attribute's values satisfies the operator's positive form. */
    private void attribute(SearchCondition.OnAttribute on) {
        sql.append("exists (select 1 from product_attribute a where a.product_key = p.product_key")
                .append(" and lower(a.name) collate \"C\" = lower(?::text)");
        parameters.add(on.name());
        if (on.typeName() != null) {
            sql.append(" and lower(a.type_name) collate \"C\" = lower(?::text)");
            parameters.add(on.typeName());
        }
        if (on.area() != null) {
            sql.append(" and a.area = ?");
            parameters.add(areaColumnValue(on.area().wireName()));
        }
        sql.append(" and ");
        predicate(on.operator(), "a.value", on.values());
        sql.append(')');
    }

    static String areaColumnValue(String wireName) {
        return wireName.toLowerCase(Locale.ROOT);
    }

    /** The positive form of the operator on one text column, in parentheses. */
    private void predicate(ConditionOperator operator, String column, List<String> values) {
        String lowered = "lower(" + column + ") collate \"C\"";
        sql.append('(');
        switch (operator) {
            case IS_EXACTLY, IS_NOT, IS_ONE_OF -> {
                sql.append(lowered).append(" in (");
                for (int i = 0; i < values.size(); i++) {
                    sql.append(i == 0 ? "lower(?::text)" : ", lower(?::text)");
                    parameters.add(values.get(i));
                }
                sql.append(')');
            }
            case CONTAINS, DOES_NOT_CONTAIN ->
                each(values, column + " ilike ?", value -> "%" + escapeLike(value) + "%");
            case BEGINS_WITH ->
                each(values, lowered + " like lower(?::text)", value -> escapeLike(value) + "%");
            case GREATER_EQUAL -> range(column, values.get(0), null);
            case LESS_EQUAL -> range(column, null, values.get(0));
            case BETWEEN -> range(column, values.get(0), values.get(1));
        }
        sql.append(')');
    }

    private void each(List<String> values, String test, UnaryOperator<String> pattern) {
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "" : " or ").append(test);
            parameters.add(pattern.apply(values.get(i)));
        }
    }

    /**
     * Numbers when every bound is a number (a column that is not a number then fails: the
     * {@code case} keeps PostgreSQL from casting it), text otherwise.
     */
    private void range(String column, @Nullable String low, @Nullable String high) {
        List<String> bounds = new ArrayList<>(2);
        if (low != null) {
            bounds.add(low);
        }
        if (high != null) {
            bounds.add(high);
        }
        if (ProductMatcher.numeric(bounds)) {
            sql.append("case when ").append(column).append(" ~ ? then ");
            parameters.add(ProductMatcher.NUMBER_PATTERN);
            bound(column + "::numeric", ">= ?", low == null ? null : new BigDecimal(low));
            sql.append(low != null && high != null ? " and " : "");
            bound(column + "::numeric", "<= ?", high == null ? null : new BigDecimal(high));
            sql.append(" else false end");
        } else {
            String lowered = "lower(" + column + ") collate \"C\"";
            bound(lowered, ">= lower(?::text)", low);
            sql.append(low != null && high != null ? " and " : "");
            bound(lowered, "<= lower(?::text)", high);
        }
    }

    private void bound(String expression, String test, @Nullable Object value) {
        if (value != null) {
            sql.append(expression).append(' ').append(test);
            parameters.add(value);
        }
    }

    /** LIKE's wildcards and its escape character taken literally. */
    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String column(ProductField field) {
        return switch (field) {
            case COMPANY -> "p.organization_id";
            case ITEM_NUMBER -> "p.item_number";
            case PRODUCT_SEARCH_NAME -> "p.product_search_name";
            case PRODUCT_TYPE -> "p.product_type";
            case PRODUCT_NAME -> "p.product_name";
            case PRODUCT_DESCRIPTION -> "p.product_description";
            case INVENTORY_UNIT_SYMBOL -> "p.inventory_unit_symbol";
            case SALES_UNIT_SYMBOL -> "p.sales_unit_symbol";
            case PURCHASE_UNIT_SYMBOL -> "p.purchase_unit_symbol";
        };
    }
}
