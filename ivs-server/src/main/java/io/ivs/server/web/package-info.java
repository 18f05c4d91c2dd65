/**
 * The IV wire protocol and the HTTP infrastructure every feature shares: envelopes, Api-Version,
 * bulk handling, JSON reading and answers, the canonical path, request ids and the one exception
 * handler that maps failures to statuses. It knows no feature.
 */
@NullMarked
package io.ivs.server.web;

import org.jspecify.annotations.NullMarked;
