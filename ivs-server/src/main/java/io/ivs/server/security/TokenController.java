package io.ivs.server.security;

import io.ivs.core.InvalidInputException;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.TokenVerifier.VerifiedAssertion;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The token endpoints (spec §5.2, two steps):
 *
 * <ol>
 *   <li>{@code POST /oauth2/token}, also at the Entra-shaped {@code /{tenantId}/oauth2/v2.0/token}:
 *       standard client credentials (form fields or HTTP Basic) answer an <em>assertion</em>;
 *   <li>{@code POST /token}: IV's exchange turns an assertion, from IVS or a trusted issuer, into
 *       an <em>access token</em> for one environment.
 * </ol>
 *
 * <p>Failures answer RFC 9457 problem details that also carry RFC 6749's {@code error} and
 * {@code error_description}, so both kinds of client can read them.
 */
@RestController
public class TokenController {
    static final String GRANT_CLIENT_CREDENTIALS = "client_credentials";
    /** What IV's clients send (spec §5.2), and RFC 7523's name for the same thing. */
    static final Set<String> ASSERTION_TYPES =
            Set.of("aad_app", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

    static final String CONTEXT_TYPE = "finops-env";
    static final int ASSERTION_LENGTH_MAX = 16_384;
    static final int FIELD_LENGTH_MAX = 1_024;

    private final ClientService clients;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final Clock clock;

    public TokenController(ClientService clients, TokenIssuer issuer, TokenVerifier verifier) {
        this.clients = clients;
        this.issuer = issuer;
        this.verifier = verifier;
        this.clock = SecurityConfiguration.TOKEN_CLOCK;
    }

    /** Client credentials (RFC 6749 §4.4); the tenant in the Entra-shaped paths is ignored. */
    @PostMapping(
            value = {
                "/oauth2/token",
                "/oauth2/v2.0/token",
                "/{tenantId}/oauth2/token",
                "/{tenantId}/oauth2/v2.0/token"
            },
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> clientCredentials(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query != null && query.toLowerCase(Locale.ROOT).contains("client_secret")) {
            // A secret in the URL ends up in proxy and access logs (RFC 6749 §2.3.1).
            throw TokenRejectedException.invalidRequest(
                    "client_secret: send it in the form body or HTTP Basic, never in the URL");
        }
        String grantType = form(request, "grant_type");
        if (!GRANT_CLIENT_CREDENTIALS.equals(grantType)) {
            throw new TokenRejectedException(
                    HttpStatus.BAD_REQUEST,
                    "unsupported_grant_type",
                    "grant_type: must be client_credentials");
        }
        String[] credentials = credentials(request);
        for (int i = 0; i < credentials.length; i++) {
            if (credentials[i].indexOf('\u0000') >= 0) {
                // PostgreSQL cannot even compare such a text; no client id or secret has one.
                throw TokenRejectedException.invalidClient(
                        (i == 0 ? "client_id" : "client_secret") + ": contains a NUL character");
            }
        }
        ClientRecord client = clients.authenticate(credentials[0], credentials[1]);
        return tokenAnswer(issuer.assertion(client, clock.instant()), "Bearer");
    }

    /**
     * IV's exchange (spec §5.2 step 2): an assertion and an environment in, a token out. The
     * original's gateway also answers at {@code /securityservice/token} (its redirect target),
     * which clients may call directly.
     */
    @PostMapping({"/token", "/securityservice/token"})
    ResponseEntity<Map<String, Object>> exchange(
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        ApiVersion.parse(version);
        JsonNode request = Json.object(Json.parse(body), "body");
        String grantType = Json.requiredText(request, "grant_type", "");
        if (!grantType.equalsIgnoreCase(GRANT_CLIENT_CREDENTIALS)) {
            throw new TokenRejectedException(
                    HttpStatus.BAD_REQUEST,
                    "unsupported_grant_type",
                    "grant_type: must be client_credentials");
        }
        String assertionType = Json.requiredText(request, "client_assertion_type", "");
        if (!ASSERTION_TYPES.contains(assertionType.toLowerCase(Locale.ROOT))) {
            throw TokenRejectedException.invalidRequest(
                    "client_assertion_type: must be one of " + ASSERTION_TYPES);
        }
        String assertion = Json.requiredText(request, "client_assertion", "");
        if (assertion.length() > ASSERTION_LENGTH_MAX) {
            throw TokenRejectedException.invalidRequest(
                    "client_assertion: longer than " + ASSERTION_LENGTH_MAX + " characters");
        }
        String context = Json.requiredText(request, "context", "");
        EnvironmentService.requireEnvironmentId(context);
        String contextType = Json.optionalText(request, "context_type", "");
        if (contextType != null && !contextType.equalsIgnoreCase(CONTEXT_TYPE)) {
            throw TokenRejectedException.invalidRequest(
                    "context_type: must be " + CONTEXT_TYPE + " (or left out)");
        }
        // The scope names the API the token is for; IVS serves one API, so any scope will do.
        Json.optionalText(request, "scope", "");

        VerifiedAssertion verified = verifier.assertion(assertion);
        ClientRecord client = clients.forAssertion(verified);
        if (!client.grants(context)) {
            throw new TokenRejectedException(
                    HttpStatus.FORBIDDEN,
                    "access_denied",
                    "context: the client '" + client.clientId() + "' is not granted environment '"
                            + context + "'");
        }
        return tokenAnswer(issuer.accessToken(client, context, clock.instant()), "bearer");
    }

    @ExceptionHandler(TokenRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(TokenRejectedException e) {
        return problem(e.status(), e.error(), e.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String error, @Nullable String description) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, description);
        problem.setProperty("error", error);
        problem.setProperty("error_description", description);
        return ResponseEntity.status(status)
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static ResponseEntity<Map<String, Object>> tokenAnswer(
            TokenIssuer.Issued token, String tokenType) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        body.put("token_type", tokenType);
        body.put("expires_in", token.lifetime().toSeconds());
        // RFC 6749 §5.1: answers holding tokens must not be cached.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.PRAGMA, "no-cache")
                .body(body);
    }

    /** The client id and secret, from the form or from HTTP Basic, but not from both. */
    private static String[] credentials(HttpServletRequest request) {
        String id = form(request, "client_id");
        String secret = form(request, "client_secret");
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (secret != null) {
                throw TokenRejectedException.invalidRequest(
                        "use one client authentication method: HTTP Basic or form fields");
            }
            return basic(authorization.substring(6).strip());
        }
        if (id == null || secret == null) {
            throw TokenRejectedException.invalidClient(
                    "client_id and client_secret are required (form fields or HTTP Basic)");
        }
        return new String[] {id, secret};
    }

    private static String[] basic(String encoded) {
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw TokenRejectedException.invalidClient("HTTP Basic: expected id:secret");
            }
            // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            throw TokenRejectedException.invalidClient("HTTP Basic: not valid Base64");
        }
    }

    /** A form field given at most once (RFC 6749 §3.2), or null. */
    private static @Nullable String form(HttpServletRequest request, String name) {
        String[] values;
        try {
            values = request.getParameterValues(name);
        } catch (IllegalStateException e) {
            // Tomcat refuses the whole form when one part cannot be decoded (bad
            // percent-encoding, bytes that are not UTF-8, a part without a name).
            throw TokenRejectedException.invalidRequest(
                    "the form body could not be decoded: use application/x-www-form-urlencoded"
                            + " with percent-encoded UTF-8");
        }
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw TokenRejectedException.invalidRequest(name + ": given more than once");
        }
        if (values[0].length() > FIELD_LENGTH_MAX) {
            throw TokenRejectedException.invalidRequest(
                    name + ": longer than " + FIELD_LENGTH_MAX + " characters");
        }
        return values[0];
    }
}
