/**
 * The change feed: every committed change of on-hand values in commit order, read with a cursor.
 * Rows are written by database triggers in the writing transaction (migration V6) and given
 * commit-ordered positions by the {@link io.ivs.server.feed.ChangeSequencer}.
 */
@NullMarked
package io.ivs.server.feed;

import org.jspecify.annotations.NullMarked;
