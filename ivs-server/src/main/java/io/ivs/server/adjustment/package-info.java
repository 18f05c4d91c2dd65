/**
 * Adjustment transactions: business documents kept with their status, applied to on-hand through
 * the on-hand change path (at once or by the periodic sync), and collected per journal and
 * acknowledged by the ERP.
 */
@NullMarked
package io.ivs.server.adjustment;

import org.jspecify.annotations.NullMarked;
