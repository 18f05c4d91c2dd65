package io.ivs.server.product;

import io.ivs.core.InvalidInputException;
import io.ivs.core.product.Product;
import io.ivs.core.product.ProductSearch;
import io.ivs.server.environment.EnvironmentService;

import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

/**
 * The product catalogue of each environment: what the catalogue endpoints and the product search
 * use. Every call first makes sure the environment exists (404 otherwise).
 */
@Service
class ProductCatalogue {
    private final EnvironmentService environments;
    private final JdbcProductStore store;

    ProductCatalogue(EnvironmentService environments, JdbcProductStore store) {
        this.environments = environments;
        this.store = store;
    }

    void upsert(String environmentId, List<Product> products) {
        environments.configuration(environmentId);
        store.upsert(environmentId, products);
    }

    Optional<Product> find(String environmentId, String organizationId, String itemNumber) {
        environments.configuration(environmentId);
        return store.find(environmentId, organizationId, itemNumber);
    }

    boolean delete(String environmentId, String organizationId, String itemNumber) {
        environments.configuration(environmentId);
        return store.delete(environmentId, organizationId, itemNumber);
    }

    /**
     * The item numbers of the products the search selects in the given organizations (every
     * organization when the list is empty); more than {@link ProductSearch#MATCHED_PRODUCTS_MAX}
     * is refused with a request to narrow the search.
     */
    List<String> search(String environmentId, List<String> organizations, ProductSearch search) {
        environments.configuration(environmentId);
        int max = ProductSearch.MATCHED_PRODUCTS_MAX;
        List<String> found = store.search(environmentId, organizations, search, max + 1);
        if (found.size() > max) {
            throw new InvalidInputException(
                    ProductSearchJson.FIELD,
                    "selects more than " + max + " products, the most one on-hand query takes;"
                            + " narrow the search (for example with more conditions, or with"
                            + " Company or itemNumber ranges) and query in parts");
        }
        return found;
    }
}
