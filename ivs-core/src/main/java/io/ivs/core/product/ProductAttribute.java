package io.ivs.core.product;

import java.util.List;

/** An attribute of a catalogue product: its type, its name, its area and its values. */
public record ProductAttribute(
        String typeName, String name, AttributeArea area, List<String> values) {
    /** Values of one attribute, e.g. the colours a product comes in. */
    public static final int VALUES_MAX = 100;

    public ProductAttribute {
        values = List.copyOf(values);
    }
}
