/** Allocations against allocation groups: the controller and its store. */
@NullMarked
package io.ivs.server.allocation;

import org.jspecify.annotations.NullMarked;
