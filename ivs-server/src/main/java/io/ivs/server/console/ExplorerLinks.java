package io.ivs.server.console;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Links of the explorer's results to the same query with another page or order: the request's
 * own query string with {@code pageNumber}, {@code sort} and {@code desc} replaced.
 *
 * @param path the explorer's path
 * @param query the request's query string, as sent
 */
public record ExplorerLinks(String path, String query) {
    static ExplorerLinks of(String path, @Nullable String query) {
        return new ExplorerLinks(path, query == null ? "" : query);
    }

    /** The same query sorted by {@code column}; descending when it is sorted ascending now. */
    public String sort(String column, @Nullable String current, boolean descending) {
        boolean next = column.equals(current) && !descending;
        return builder()
                .replaceQueryParam("sort", column)
                .replaceQueryParam("desc", next)
                .replaceQueryParam("pageNumber", 1)
                .build()
                .toUriString();
    }

    public String page(int number) {
        return builder().replaceQueryParam("pageNumber", number).build().toUriString();
    }

    /** The CSV download of the whole result in this order (without paging). */
    public String csv() {
        return UriComponentsBuilder.fromUriString(path + ".csv?" + query)
                .replaceQueryParam("pageNumber")
                .replaceQueryParam("pageSize")
                .build()
                .toUriString();
    }

    private UriComponentsBuilder builder() {
        return UriComponentsBuilder.fromUriString(path + "?" + query);
    }
}
