/** Interfaces the server implements: stores and the clock. */
@NullMarked
package io.ivs.core.port;

import org.jspecify.annotations.NullMarked;
