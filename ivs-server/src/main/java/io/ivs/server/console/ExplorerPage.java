package io.ivs.server.console;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One page of the explorer's results, sorted by a column, with the API v2 query's paging
 * parameters ({@code pageNumber} from 1, {@code pageSize}). Sorting by a measure compares
 * numbers (an empty cell sorts first); by organization, product or a dimension, text.
 *
 * @param table the rows of this page only
 * @param total the rows of the whole result
 */
public record ExplorerPage(
        ResultTable table,
        int total,
        int pageNumber,
        int pageSize,
        @Nullable String sort,
        boolean descending) {
    public static final int PAGE_SIZE_DEFAULT = 50;
    public static final int PAGE_SIZE_MAX = 1_000;

    static ExplorerPage of(
            ResultTable whole,
            @Nullable Integer pageNumber,
            @Nullable Integer pageSize,
            @Nullable String sort,
            boolean descending) {
        int number = pageNumber == null ? 1 : pageNumber;
        int size = pageSize == null ? PAGE_SIZE_DEFAULT : pageSize;
        if (number < 1) {
            throw new InvalidInputException("pageNumber", "must be 1 or more");
        }
        if (size < 1 || size > PAGE_SIZE_MAX) {
            throw new InvalidInputException("pageSize", "must be 1 to " + PAGE_SIZE_MAX);
        }
        String column = sort == null || sort.isBlank() ? null : sort.strip();
        ResultTable sorted = sorted(whole, column, descending);
        int from = (int) Math.min((long) (number - 1) * size, sorted.rows().size());
        int to = Math.min(from + size, sorted.rows().size());
        ResultTable page = new ResultTable(
                sorted.dimensions(), sorted.measures(), sorted.rows().subList(from, to));
        return new ExplorerPage(page, whole.rows().size(), number, size, column, descending);
    }

    /** The whole result in the order asked for (the CSV download's rows). */
    static ResultTable sorted(ResultTable table, @Nullable String column, boolean descending) {
        if (column == null) {
            return table;
        }
        Comparator<ResultTable.Row> order = comparator(table, column);
        List<ResultTable.Row> rows = new ArrayList<>(table.rows());
        rows.sort(descending ? order.reversed() : order);
        return new ResultTable(table.dimensions(), table.measures(), rows);
    }

    private static Comparator<ResultTable.Row> comparator(ResultTable table, String column) {
        if (column.equals("organizationId")) {
            return Comparator.comparing(ResultTable.Row::organizationId);
        }
        if (column.equals("productId")) {
            return Comparator.comparing(ResultTable.Row::productId);
        }
        int dimension = table.dimensions().indexOf(column);
        if (dimension >= 0) {
            return Comparator.comparing(row -> row.cells().get(dimension));
        }
        for (int i = 0; i < table.measures().size(); i++) {
            if (table.measures().get(i).label().equals(column)) {
                int index = table.dimensions().size() + i;
                return Comparator.comparing(
                        row -> number(row.cells().get(index)),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
            }
        }
        throw new InvalidInputException("sort", "'" + column + "' is not a column of the result");
    }

    private static @Nullable BigDecimal number(String cell) {
        return cell.isEmpty() ? null : new BigDecimal(cell);
    }

    public boolean hasPrevious() {
        return pageNumber > 1;
    }

    public boolean hasNext() {
        return (long) pageNumber * pageSize < total;
    }

    public int pages() {
        return Math.max(1, (total + pageSize - 1) / pageSize);
    }

    /** The first row's number on this page (from 1), 0 when the page is empty. */
    public int firstRow() {
        return table.rows().isEmpty() ? 0 : (pageNumber - 1) * pageSize + 1;
    }

    public int lastRow() {
        return firstRow() == 0 ? 0 : firstRow() + table.rows().size() - 1;
    }
}
