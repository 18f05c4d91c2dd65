/**
 * The IVS benchmark: starts IVS from its jar on a fresh data directory, drives it over HTTP with
 * bounded concurrency and bounded durations, measures the same logical work done directly on
 * PostgreSQL (the ceiling), and reports both side by side.
 */
@NullMarked
package io.ivs.bench;

import org.jspecify.annotations.NullMarked;
