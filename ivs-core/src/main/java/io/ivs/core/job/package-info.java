/** Asynchronous jobs that clients poll (spec §2.6): the port the server implements. */
@NullMarked
package io.ivs.core.job;

import org.jspecify.annotations.NullMarked;
