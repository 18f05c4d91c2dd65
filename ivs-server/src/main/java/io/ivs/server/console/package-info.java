/**
 * The web console at {@code /console}: server-rendered pages (Thymeleaf, htmx) for operators to
 * see stock, reservations, ATP and allocations, to import CSV files and to review and change the
 * configuration. It signs in API clients with their id and secret into a session kept in
 * PostgreSQL, and calls the same core services and server services as the HTTP API; it holds no
 * business rule of its own.
 */
@NullMarked
package io.ivs.server.console;

import org.jspecify.annotations.NullMarked;
