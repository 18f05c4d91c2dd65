/**
 * File imports: CSV records and their columns turned into on-hand items (change or set) and
 * product catalogue items, with the reason and line of every row refused. Shared by the command
 * line and the console, so that both accept and refuse the same rows for the same reasons.
 */
@NullMarked
package io.ivs.core.imports;

import org.jspecify.annotations.NullMarked;
