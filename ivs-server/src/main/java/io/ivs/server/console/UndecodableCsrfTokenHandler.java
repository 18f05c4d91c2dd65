package io.ivs.server.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

import java.util.function.Supplier;

/**
 * Spring Security's default CSRF handler (tokens masked anew on every page), except that a
 * submitted token which does not decode counts as no token. Spring's handler throws {@code
 * IllegalArgumentException: Decoding failed} when the unmasked bytes are not UTF-8, which a
 * forged token of the right length easily is; that answered 500 and logged a stack trace for
 * every such request. Without a token value the CSRF filter refuses the request with 403, as it
 * does for any other wrong token.
 */
final class UndecodableCsrfTokenHandler implements CsrfTokenRequestHandler {
    private final XorCsrfTokenRequestAttributeHandler delegate =
            new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(
            HttpServletRequest request,
            HttpServletResponse response,
            Supplier<CsrfToken> csrfToken) {
        delegate.handle(request, response, csrfToken);
    }

    @Override
    public @Nullable String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
        try {
            return delegate.resolveCsrfTokenValue(request, csrfToken);
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }
}
