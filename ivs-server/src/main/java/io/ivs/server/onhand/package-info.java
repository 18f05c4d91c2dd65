/** On-hand changes, queries and partition operations: their controllers and their store. */
@NullMarked
package io.ivs.server.onhand;

import org.jspecify.annotations.NullMarked;
