package io.ivs.server.product;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.ResultRow;
import io.ivs.core.product.ProductSearch;

import org.springframework.stereotype.Service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A product search followed by the index query for its products, for callers other than the API
 * (the console's product search page): the same catalogue search and the same query service the
 * API endpoints use.
 */
@Service
public class ProductSearches {
    /** The API version whose rules the queries follow (one organization). */
    private static final int API_VERSION = 1;

    private final ProductCatalogue catalogue;
    private final OnHandService onHand;

    ProductSearches(ProductCatalogue catalogue, OnHandService onHand) {
        this.catalogue = catalogue;
        this.onHand = onHand;
    }

    /**
     * The on-hand rows of the products of one organization that the search selects, at the given
     * sites and locations (all when a list is empty); no rows when no product matches.
     */
    public List<ResultRow> indexQuery(
            String environmentId,
            String organizationId,
            List<String> siteIds,
            List<String> locationIds,
            ProductSearch search) {
        List<String> products = catalogue.search(environmentId, List.of(organizationId), search);
        if (products.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(organizationId));
        filters.put("productId", products);
        filters.put("siteId", siteIds);
        filters.put("locationId", locationIds);
        QueryRequest request = new QueryRequest(null, filters, List.of(), true, null, List.of());
        return onHand.query(EnvironmentId.of(environmentId), request, API_VERSION);
    }
}
