/**
 * The web console at {@code /console}: server-rendered pages (Thymeleaf, htmx) for operators to
 * see an environment at a glance (overview), explore stock, reservations, ATP and allocations,
 * post writes, import CSV files, administer webhooks, clients, keys and environments, and
 * review and change the configuration. It signs in API clients with their id and secret into a
 * session kept in PostgreSQL, and calls the same core services and server services as the HTTP
 * API; it holds no business rule of its own and reads no table itself: the overview's counts and
 * rates and the saved explorer queries come through ports of the features that own the tables.
 */
@NullMarked
package io.ivs.server.console;

import org.jspecify.annotations.NullMarked;
