package io.ivs.server.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.util.StringUtils;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens whose signature has been verified, by their exact text. A client sends the same
 * token on every call for an hour; verifying its RSA signature and parsing it again each time
 * measured as about a sixth of IVS's CPU per API call in ivs-bench (docs/performance.md).
 *
 * <p>What a signature check establishes about a given text cannot change while the token is
 * valid: IVS's keys only ever appear, and a retired key keeps verifying until every token it
 * signed has expired ({@link SigningKeys}). Everything that can change is checked on every use,
 * exactly as for a new token: the validators (expiry, not-before, issuer, audience, type,
 * claims) run again on the cached token, and the caller's client is looked up afterwards as
 * before ({@link CallerResolver}). A token that fails validation is dropped from the cache.
 */
final class VerifiedTokens implements JwtDecoder {
    /** More distinct tokens than this empties the cache; tokens live an hour. */
    static final int TOKENS_MAX = 10_000;

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    /**
     * @param decoder verifies the signature and then runs {@code validator}
     * @param validator the decoder's validator, run again on every later use of a token
     */
    VerifiedTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator) {
        this.decoder = decoder;
        this.validator = validator;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = verified.get(token);
        if (known == null) {
            Jwt jwt = decoder.decode(token);
            if (verified.size() >= TOKENS_MAX) {
                verified.clear();
            }
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.remove(token);
            // The message NimbusJwtDecoder gives for the same failure.
            String message = "Unable to validate Jwt";
            for (OAuth2Error error : result.getErrors()) {
                if (StringUtils.hasLength(error.getDescription())) {
                    message = "An error occurred while attempting to decode the Jwt: "
                            + error.getDescription();
                    break;
                }
            }
            throw new JwtValidationException(message, result.getErrors());
        }
        return known;
    }

    int size() {
        return verified.size();
    }
}
