/** On-hand change schedules and available-to-promise answers over HTTP. */
@NullMarked
package io.ivs.server.atp;

import org.jspecify.annotations.NullMarked;
