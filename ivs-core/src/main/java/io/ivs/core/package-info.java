/** The IVS domain, free of frameworks: configuration, dimensions, measures and on-hand rules. */
@NullMarked
package io.ivs.core;

import org.jspecify.annotations.NullMarked;
