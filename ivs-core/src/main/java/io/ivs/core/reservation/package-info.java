/**
 * Soft reservations: reserve and unreserve rules, the available-to-reserve check, reservation ids
 * and results (spec §2.4, §2.5, A7-A11, A26).
 */
@NullMarked
package io.ivs.core.reservation;

import org.jspecify.annotations.NullMarked;
