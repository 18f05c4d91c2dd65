package io.ivs.server.product;

import io.ivs.core.product.Product;
import io.ivs.server.web.BulkRequests;
import io.ivs.server.web.NotFoundException;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product catalogue: a bulk upsert of up to 512 products (an item for a product that exists
 * replaces it, attributes included), and the read and delete of one product. The product is
 * named by query parameters, not path segments, because item numbers may hold a {@code /}.
 */
@RestController
class ProductController {
    private static final String BASE = "/api/environment/{environmentId}/products";

    private final ProductCatalogue catalogue;

    ProductController(ProductCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** One answer per item, in request order; readable items are written in one transaction. */
    @PostMapping(BASE + "/bulk")
    List<Map<String, Object>> bulk(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        return BulkRequests.handle(
                body,
                ProductJson::product,
                products -> {
                    catalogue.upsert(environmentId, products);
                    return products;
                },
                ProductController::stored,
                (id, message) -> answer(null, "failure", 400, message));
    }

    private static Map<String, Object> stored(Product product) {
        return answer(product, "success", 200, "");
    }

    private static Map<String, Object> answer(
            @Nullable Product product, String status, int statusCode, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (product != null) {
            out.put("organizationId", product.organizationId());
            out.put("itemNumber", product.itemNumber());
        }
        out.put("processingStatus", status);
        out.put("statusCode", statusCode);
        out.put("message", message);
        return out;
    }

    @GetMapping(BASE)
    Map<String, Object> get(
            @PathVariable String environmentId,
            @RequestParam String organizationId,
            @RequestParam String itemNumber) {
        return catalogue
                .find(environmentId, organizationId, itemNumber)
                .map(ProductJson::write)
                .orElseThrow(() -> notFound(organizationId, itemNumber));
    }

    @DeleteMapping(BASE)
    Map<String, Object> delete(
            @PathVariable String environmentId,
            @RequestParam String organizationId,
            @RequestParam String itemNumber) {
        if (!catalogue.delete(environmentId, organizationId, itemNumber)) {
            throw notFound(organizationId, itemNumber);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organizationId", organizationId);
        out.put("itemNumber", itemNumber);
        out.put("deleted", true);
        return out;
    }

    private static NotFoundException notFound(String organizationId, String itemNumber) {
        return new NotFoundException("no product '" + itemNumber + "' of organization '"
                + organizationId + "' in the catalogue");
    }
}
