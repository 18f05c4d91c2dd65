/**
 * Security: the token endpoints (standard client credentials and IV's exchange), the signing keys,
 * API clients and their grants, and the enforcement of environment scoping and roles on every API
 * call. Storage is reached through the ports {@link ClientStore} and {@link SigningKeyStore},
 * implemented in {@code io.ivs.server.postgres}.
 */
@NullMarked
package io.ivs.server.security;

import org.jspecify.annotations.NullMarked;
