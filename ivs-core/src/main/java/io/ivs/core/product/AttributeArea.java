package io.ivs.core.product;

import io.ivs.core.InvalidInputException;

/** Where an attribute belongs: to the product, to a product dimension, or to a batch. */
public enum AttributeArea {
    PRODUCT_ATTRIBUTE("ProductAttribute"),
    DIMENSION_ATTRIBUTE("DimensionAttribute"),
    BATCH_ATTRIBUTE("BatchAttribute");

    private final String wireName;

    AttributeArea(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The area named {@code text}, in any case. */
    public static AttributeArea parse(String field, String text) {
        for (AttributeArea area : values()) {
            if (area.wireName.equalsIgnoreCase(text.strip())) {
                return area;
            }
        }
        throw new InvalidInputException(
                field,
                "'" + text + "' is not an attribute area; use ProductAttribute,"
                        + " DimensionAttribute or BatchAttribute");
    }
}
