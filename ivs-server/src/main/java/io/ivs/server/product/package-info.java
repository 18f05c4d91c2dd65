/**
 * The product catalogue (bulk upsert, read and delete of products with their attributes) and the
 * product search queries, which select an on-hand query's products by their fields and
 * attributes and answer as the index and exact queries do.
 */
@NullMarked
package io.ivs.server.product;

import org.jspecify.annotations.NullMarked;
