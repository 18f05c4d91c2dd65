/** PostgreSQL adapters: the embedded server, the data source and the JDBC stores. */
@NullMarked
package io.ivs.server.postgres;

import org.jspecify.annotations.NullMarked;
