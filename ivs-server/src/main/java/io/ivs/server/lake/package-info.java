/**
 * The data lake: the inventory summary and the change feed kept as two Delta Lake tables in a
 * directory per environment, maintained incrementally from the change feed, with checkpoints and
 * vacuum, so that Spark, Databricks, DuckDB and other Delta readers see IVS's data without an
 * export job. The Delta log is written here, following the Delta protocol (reader version 1,
 * writer version 2); data files are Parquet written with parquet-java, without Hadoop.
 */
@NullMarked
package io.ivs.server.lake;

import org.jspecify.annotations.NullMarked;
