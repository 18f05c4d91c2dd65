package io.ivs.server.security;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/**
 * The public keys that verify IVS tokens (RFC 7517), for anyone who wants to check a token
 * themselves. Retired keys stay listed until the tokens they signed have expired.
 */
@RestController
public class JwksController {
    /** Verifiers refetch on an unknown key id, so a short cache time is enough. */
    private static final Duration CACHE_TIME = Duration.ofMinutes(5);

    private final SigningKeys keys;

    public JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping(value = "/.well-known/jwks.json")
    ResponseEntity<String> jwks() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(CACHE_TIME).cachePublic())
                .contentType(MediaType.parseMediaType("application/jwk-set+json"))
                .body(keys.publicKeys().toString(true));
    }
}
