/**
 * On-hand change schedules and available-to-promise: schedule validation and the projected
 * on-hand and ATP series of spec part A (A.5 formulas).
 */
@NullMarked
package io.ivs.core.atp;

import org.jspecify.annotations.NullMarked;
