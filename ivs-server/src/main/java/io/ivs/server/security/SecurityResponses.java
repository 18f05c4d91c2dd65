package io.ivs.server.security;

import io.ivs.server.web.Refusals;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/**
 * The answers to refused calls (DESIGN D9): IV's envelope under {@code /api}, RFC 9457 problem
 * details elsewhere, each with the {@code WWW-Authenticate} header of RFC 6750 that Spring
 * Security's bearer-token handlers set. Messages say what was wrong, never what the token was.
 */
final class SecurityResponses implements AuthenticationEntryPoint, AccessDeniedHandler {
    /** A refusal by {@link AccessPolicy}, carrying its reason to the answer. */
    static final class PolicyDenial extends AuthorizationDecision {
        private final String reason;

        PolicyDenial(String reason) {
            super(false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint =
            new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied =
            new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(
            HttpServletRequest request,
            HttpServletResponse response,
            AuthenticationException failure)
            throws IOException {
        bearerEntryPoint.commence(request, response, failure);
        String message = failure instanceof OAuth2AuthenticationException oauth
                        && oauth.getError().getDescription() != null
                ? "Authorization: " + oauth.getError().getDescription()
                : "Authorization: a bearer token is required; get one from POST /token";
        Refusals.write(request, response, HttpStatus.valueOf(response.getStatus()), message);
    }

    @Override
    public void handle(
            HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearerDenied.handle(request, response, denied);
        String reason = denied instanceof AuthorizationDeniedException authorization
                        && authorization.getAuthorizationResult() instanceof PolicyDenial policy
                ? policy.reason()
                : "this call is not allowed with this token";
        Refusals.write(request, response, HttpStatus.FORBIDDEN, reason);
    }
}
