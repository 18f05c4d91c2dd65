package io.ivs.core.product;

import java.util.List;

/**
 * A catalogue product of one organization. {@code itemNumber} is the product id of the on-hand
 * records; text fields that were not sent are empty.
 */
public record Product(
        String organizationId,
        String itemNumber,
        String productName,
        String productSearchName,
        String productType,
        String productDescription,
        String inventoryUnitSymbol,
        String salesUnitSymbol,
        String purchaseUnitSymbol,
        List<ProductAttribute> attributes) {
    /** Attributes of one product. */
    public static final int ATTRIBUTES_MAX = 100;

    /** The longest product description kept (other text fields take the usual 256). */
    public static final int DESCRIPTION_LENGTH_MAX = 2_000;

    public Product {
        attributes = List.copyOf(attributes);
    }

    /** The text of a product field, {@code Company} being the organization. */
    public String field(ProductField field) {
        return switch (field) {
            case COMPANY -> organizationId;
            case ITEM_NUMBER -> itemNumber;
            case PRODUCT_SEARCH_NAME -> productSearchName;
            case PRODUCT_TYPE -> productType;
            case PRODUCT_NAME -> productName;
            case PRODUCT_DESCRIPTION -> productDescription;
            case INVENTORY_UNIT_SYMBOL -> inventoryUnitSymbol;
            case SALES_UNIT_SYMBOL -> salesUnitSymbol;
            case PURCHASE_UNIT_SYMBOL -> purchaseUnitSymbol;
        };
    }
}
