package io.ivs.core.product;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The product fields a product filter's conditions can name. {@code Company} is the product's
 * organization (the legal entity that owns the item); {@code itemNumber} is the product id the
 * on-hand records carry.
 */
public enum ProductField {
    COMPANY("Company"),
    ITEM_NUMBER("itemNumber"),
    PRODUCT_SEARCH_NAME("productSearchName"),
    PRODUCT_TYPE("productType"),
    PRODUCT_NAME("productName"),
    PRODUCT_DESCRIPTION("productDescription"),
    INVENTORY_UNIT_SYMBOL("inventoryUnitSymbol"),
    SALES_UNIT_SYMBOL("salesUnitSymbol"),
    PURCHASE_UNIT_SYMBOL("purchaseUnitSymbol");

    private final String wireName;

    ProductField(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The field named {@code text}, in any case (DESIGN D8). */
    public static Optional<ProductField> find(String text) {
        return Arrays.stream(values())
                .filter(field -> field.wireName.equalsIgnoreCase(text.strip()))
                .findFirst();
    }

    public static String names() {
        return Arrays.stream(values())
                .map(ProductField::wireName)
                .collect(Collectors.joining(", "));
    }
}
