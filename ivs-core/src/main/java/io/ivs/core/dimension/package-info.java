/** Base dimensions, data-source dimension mappings and canonical dimension sets. */
@NullMarked
package io.ivs.core.dimension;

import org.jspecify.annotations.NullMarked;
