/**
 * The product catalogue (products by organization, with their attributes) and the product search
 * that selects the products of an on-hand query by their fields and attributes: the filter model,
 * its operators and its bounds.
 */
@NullMarked
package io.ivs.core.product;

import org.jspecify.annotations.NullMarked;
