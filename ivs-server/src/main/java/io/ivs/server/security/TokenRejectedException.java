package io.ivs.server.security;

import org.springframework.http.HttpStatus;

/**
 * A token request that IVS refuses, with the OAuth error code of RFC 6749 §5.2 ({@code
 * invalid_client}, {@code invalid_request}, ...) and a description that never contains a secret
 * or a token.
 */
public class TokenRejectedException extends RuntimeException {
    private final HttpStatus status;
    private final String error;

    public TokenRejectedException(HttpStatus status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    static TokenRejectedException invalidClient(String description) {
        return new TokenRejectedException(HttpStatus.UNAUTHORIZED, "invalid_client", description);
    }

    static TokenRejectedException invalidRequest(String description) {
        return new TokenRejectedException(HttpStatus.BAD_REQUEST, "invalid_request", description);
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }
}
