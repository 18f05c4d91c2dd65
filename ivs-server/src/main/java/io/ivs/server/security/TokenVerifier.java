package io.ivs.server.security;

import com.nimbusds.jwt.JWTParser;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies tokens with Spring Security's Nimbus decoders: signature (asymmetric algorithms only,
 * so {@code alg: none} and HMAC tokens never verify), issuer, audience, type and expiry.
 */
public final class TokenVerifier {
    /** The claims that can name the client in an external assertion, in order of preference. */
    static final List<String> EXTERNAL_CLIENT_CLAIMS = List.of("azp", "appid", "client_id", "sub");

    private static final Set<SignatureAlgorithm> OWN_ALGORITHMS =
            Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256);
    private static final Set<SignatureAlgorithm> EXTERNAL_ALGORITHMS = Set.of(
            SignatureAlgorithm.RS256,
            SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512,
            SignatureAlgorithm.PS256,
            SignatureAlgorithm.PS384,
            SignatureAlgorithm.PS512,
            SignatureAlgorithm.ES256,
            SignatureAlgorithm.ES384,
            SignatureAlgorithm.ES512);

    /** Who an assertion names, once its signature and claims are verified. */
    public record VerifiedAssertion(String issuer, String clientId, boolean external) {}

    private final String ownIssuer;
    private final JwtDecoder accessTokens;
    private final JwtDecoder ownAssertions;
    private final Map<String, JwtDecoder> externalAssertions = new LinkedHashMap<>();

    public TokenVerifier(
            SigningKeys keys,
            SecuritySettings settings,
            List<TrustedIssuer> trustedIssuers,
            Clock clock) {
        this.ownIssuer = settings.issuer();
        OAuth2TokenValidator<Jwt> accessTokenRules = ownValidator(
                clock,
                ownIssuer,
                TokenIssuer.API_AUDIENCE,
                TokenIssuer.ACCESS_TOKEN_TYPE,
                List.of(
                        text(TokenIssuer.CLAIM_CLIENT_ID),
                        text(TokenIssuer.CLAIM_ENVIRONMENT),
                        new JwtClaimValidator<Object>(
                                TokenIssuer.CLAIM_ROLES, roles -> roles instanceof List<?>)));
        // Each access token's signature is verified once; its rules are checked on every use.
        this.accessTokens =
                new VerifiedTokens(ownDecoder(keys, accessTokenRules), accessTokenRules, clock);
        this.ownAssertions = ownDecoder(
                keys,
                ownValidator(
                        clock,
                        ownIssuer,
                        TokenIssuer.ASSERTION_AUDIENCE,
                        TokenIssuer.ASSERTION_TYPE,
                        List.of(text(TokenIssuer.CLAIM_CLIENT_ID))));
        for (TrustedIssuer trusted : trustedIssuers) {
            externalAssertions.put(trusted.issuer(), externalDecoder(trusted, clock));
        }
    }

    /** The decoder for access tokens on API calls. */
    public JwtDecoder accessTokenDecoder() {
        return accessTokens;
    }

    /**
     * Verifies an assertion presented at {@code POST /token}: one signed by IVS, or by a trusted
     * issuer. The issuer is read before verification only to choose the keys to verify with.
     *
     * @throws TokenRejectedException 401 when the assertion is not valid, 503 when a trusted
     *     issuer's keys cannot be fetched
     */
    public VerifiedAssertion assertion(String token) {
        String issuer = unverifiedIssuer(token);
        boolean external = !issuer.equals(ownIssuer);
        JwtDecoder decoder = external ? externalAssertions.get(issuer) : ownAssertions;
        if (decoder == null) {
            throw TokenRejectedException.invalidClient("client_assertion: the issuer '" + issuer
                    + "' is not trusted (see IVS_TRUSTED_ISSUERS)");
        }
        Jwt jwt = decode(decoder, token);
        String clientId =
                external ? clientOf(jwt) : jwt.getClaimAsString(TokenIssuer.CLAIM_CLIENT_ID);
        if (clientId == null || clientId.isBlank()) {
            throw TokenRejectedException.invalidClient(
                    "client_assertion: names no client (" + EXTERNAL_CLIENT_CLAIMS + ")");
        }
        return new VerifiedAssertion(issuer, clientId, external);
    }

    private static Jwt decode(JwtDecoder decoder, String token) {
        try {
            return decoder.decode(token);
        } catch (BadJwtException e) {
            throw TokenRejectedException.invalidClient("client_assertion: " + e.getMessage());
        } catch (JwtException e) {
            throw new TokenRejectedException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "client_assertion: could not be verified now: " + e.getMessage());
        }
    }

    private static @Nullable String clientOf(Jwt jwt) {
        for (String claim : EXTERNAL_CLIENT_CLAIMS) {
            String value = jwt.getClaimAsString(claim);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String unverifiedIssuer(String token) {
        try {
            String issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
            if (issuer == null || issuer.isBlank()) {
                throw TokenRejectedException.invalidClient("client_assertion: has no issuer");
            }
            return issuer;
        } catch (ParseException e) {
            throw TokenRejectedException.invalidClient("client_assertion: is not a JWT");
        }
    }

    private static OAuth2TokenValidator<Jwt> ownValidator(
            Clock clock,
            String issuer,
            String audience,
            String type,
            List<OAuth2TokenValidator<Jwt>> claims) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTypeValidator(type));
        validators.addAll(common(clock, issuer, audience));
        validators.addAll(claims);
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static NimbusJwtDecoder ownDecoder(SigningKeys keys, OAuth2TokenValidator<Jwt> rules) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys.verificationSource())
                .jwsAlgorithms(algorithms -> algorithms.addAll(OWN_ALGORITHMS))
                .build();
        // The default converter tries to read "iss" as a URL, which IVS's issuer ("ivs" unless
        // configured) is not: a thrown and caught exception on every API call, measured at about
        // one per request in ivs-bench. The issuer stays the string it was either way.
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(
                Map.of(JwtClaimNames.ISS, iss -> iss == null ? null : iss.toString())));
        decoder.setJwtValidator(rules);
        return decoder;
    }

    private static JwtDecoder externalDecoder(TrustedIssuer trusted, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(
                        trusted.jwksUrl().toString())
                .jwsAlgorithms(algorithms -> algorithms.addAll(EXTERNAL_ALGORITHMS))
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                common(clock, trusted.issuer(), trusted.audience())));
        return decoder;
    }

    private static List<OAuth2TokenValidator<Jwt>> common(
            Clock clock, String issuer, String audience) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setAllowEmptyExpiryClaim(false);
        timestamps.setClock(clock);
        return List.of(
                timestamps, new JwtIssuerValidator(issuer), new JwtAudienceValidator(audience));
    }

    private static OAuth2TokenValidator<Jwt> text(String claim) {
        // A missing claim reaches the test as null, which instanceof refuses.
        return new JwtClaimValidator<Object>(
                claim, value -> value instanceof String text && !text.isBlank());
    }
}
