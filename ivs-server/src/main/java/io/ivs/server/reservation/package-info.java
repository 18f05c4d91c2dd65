/** Soft reservations: reserve, unreserve, jobs and resync, with their controller and store. */
@NullMarked
package io.ivs.server.reservation;

import org.jspecify.annotations.NullMarked;
