package io.ivs.server.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Signs the two kinds of IVS token with the current signing key. They differ in audience and
 * type, so neither can stand in for the other:
 *
 * <ul>
 *   <li>an <em>assertion</em> ({@code POST /oauth2/token}) proves who a client is and is good
 *       only at {@code POST /token};
 *   <li>an <em>access token</em> ({@code POST /token}) lets the client call the API of one
 *       environment with its roles.
 * </ul>
 */
public final class TokenIssuer {
    public static final String ASSERTION_AUDIENCE = "ivs-token-exchange";
    public static final String API_AUDIENCE = "ivs-api";
    public static final String ASSERTION_TYPE = "JWT";
    /** RFC 9068's type for JWT access tokens. */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";

    public static final String CLAIM_CLIENT_ID = "client_id";
    public static final String CLAIM_ENVIRONMENT = "env";
    public static final String CLAIM_ROLES = "roles";

    /** A signed token and its lifetime; {@link #toString} hides the token. */
    public record Issued(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "Issued[lifetime=" + lifetime + "]";
        }
    }

    private final SigningKeys keys;
    private final SecuritySettings settings;

    public TokenIssuer(SigningKeys keys, SecuritySettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    /** An assertion naming the client, for the exchange at {@code POST /token}. */
    public Issued assertion(ClientRecord client, Instant now) {
        Duration lifetime = settings.assertionLifetime();
        JwtClaimsSet claims = claims(client, now, lifetime)
                .audience(List.of(ASSERTION_AUDIENCE))
                .claim("azp", client.clientId())
                .build();
        return new Issued(sign(claims, ASSERTION_TYPE), lifetime);
    }

    /** An access token for one environment with the client's roles. */
    public Issued accessToken(ClientRecord client, String environmentId, Instant now) {
        Duration lifetime = settings.accessTokenLifetime();
        List<String> roles =
                client.roles().stream().map(Role::wireName).sorted().toList();
        JwtClaimsSet claims = claims(client, now, lifetime)
                .audience(List.of(API_AUDIENCE))
                .claim(CLAIM_ENVIRONMENT, environmentId)
                .claim(CLAIM_ROLES, roles)
                .build();
        return new Issued(sign(claims, ACCESS_TOKEN_TYPE), lifetime);
    }

    private JwtClaimsSet.Builder claims(ClientRecord client, Instant now, Duration lifetime) {
        return JwtClaimsSet.builder()
                .issuer(settings.issuer())
                .subject(client.clientId())
                .claim(CLAIM_CLIENT_ID, client.clientId())
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(lifetime))
                .id(UUID.randomUUID().toString());
    }

    private static SignatureAlgorithm algorithmOf(JWK key) {
        String name = key.getAlgorithm().getName();
        SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
        if (algorithm == null) {
            throw new IllegalStateException(
                    "the signing key's algorithm " + name + " is not a JWS signature algorithm");
        }
        return algorithm;
    }

    private String sign(JwtClaimsSet claims, String type) {
        // The key is read once per token, so a rotation made on any instance applies at once;
        // an encoder over exactly that key cannot pick another one.
        JWK key = keys.signingKey();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        JwsHeader header = JwsHeader.with(algorithmOf(key))
                .keyId(key.getKeyID())
                .type(type)
                .build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }
}
