/** Interfaces the server implements: the stores and the processed event ids of each feature. */
@NullMarked
package io.ivs.core.port;

import org.jspecify.annotations.NullMarked;
