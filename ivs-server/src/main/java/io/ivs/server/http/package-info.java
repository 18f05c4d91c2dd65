/** The HTTP adapter: IV-compatible controllers, request parsing and the error envelopes. */
@NullMarked
package io.ivs.server.http;

import org.jspecify.annotations.NullMarked;
