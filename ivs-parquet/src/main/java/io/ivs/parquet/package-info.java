/**
 * Parquet files without Hadoop, for every module that reads or writes them: the server's summary
 * export and data lake, and the CLI's import. parquet-java's own file classes with
 * {@code PlainParquetConfiguration} do the work; what they still take from Hadoop by default (the
 * codec factory, the read options' builder) is replaced here, once.
 */
@NullMarked
package io.ivs.parquet;

import org.jspecify.annotations.NullMarked;
