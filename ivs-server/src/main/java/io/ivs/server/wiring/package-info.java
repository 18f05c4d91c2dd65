/** The only place that constructs core services. */
@NullMarked
package io.ivs.server.wiring;

import org.jspecify.annotations.NullMarked;
