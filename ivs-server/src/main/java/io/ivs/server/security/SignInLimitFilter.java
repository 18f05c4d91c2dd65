package io.ivs.server.security;

import io.ivs.server.security.SignInLimiter.Admitted;
import io.ivs.server.security.SignInLimiter.Limit;
import io.ivs.server.security.SignInLimiter.Refused;
import io.ivs.server.web.CanonicalPathFilter;
import io.ivs.server.web.Json;
import io.ivs.server.web.Refusals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Limits sign-ins ({@link SignInLimiter}) before Spring Security and the token endpoints see
 * them, so that a refused attempt costs no BCrypt check: {@code POST /oauth2/token} in all its
 * path forms, {@code POST /token} (and {@code /securityservice/token}), and the console's {@code
 * POST /console/login}, on the canonical path that routing and the access rules read.
 *
 * <p>Secret checks also take a turn from a small pool ({@code checks-concurrent-max}), so that
 * even a flood from many addresses, each within its own limits, leaves the other processors to
 * the API. {@code POST /token} checks a signature, not a secret, and takes no turn.
 */
final class SignInLimitFilter extends OncePerRequestFilter {
    private static final Pattern CLIENT_CREDENTIALS_PATH =
            Pattern.compile("(/[^/]+)?/oauth2(/v2\\.0)?/token");
    private static final Pattern EXCHANGE_PATH = Pattern.compile("(/securityservice)?/token");
    private static final String CONSOLE_LOGIN_PATH = "/console/login";
    private static final String CONSOLE_LOGIN_FAILED = CONSOLE_LOGIN_PATH + "?error";
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    /** The sign-ins this filter limits, each with its own way of telling a refused secret. */
    enum Kind {
        CLIENT_CREDENTIALS,
        EXCHANGE,
        CONSOLE
    }

    private final SignInLimiter limiter;
    private final Semaphore checks;
    private final long checkWaitNanos;
    private final Map<Limit, Counter> refusals = new EnumMap<>(Limit.class);

    SignInLimitFilter(SignInLimiter limiter, SignInLimitSettings settings, MeterRegistry meters) {
        this.limiter = limiter;
        this.checks = new Semaphore(settings.checksConcurrent(), true);
        this.checkWaitNanos = settings.checkWaitMax().toNanos();
        for (Limit limit : Limit.values()) {
            refusals.put(
                    limit,
                    Counter.builder("ivs.sign_in.refused")
                            .description("Sign-ins refused by a sign-in limit, before any check")
                            .tag("limit", limit.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Kind kind = kind(request);
        if (kind == null) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest readable = kind == Kind.EXCHANGE ? request : formRead(request);
        String clientId = kind == Kind.EXCHANGE ? null : clientId(readable, kind);
        // Without a client id the endpoints refuse at once, before any secret is checked.
        boolean credentials = kind == Kind.EXCHANGE || clientId != null;
        String clientKey =
                clientId != null && NewClient.CLIENT_ID.matcher(clientId).matches()
                        ? clientId
                        : null;
        switch (limiter.admit(request.getRemoteAddr(), clientKey)) {
            case Refused refused -> refuse(request, response, kind, refused);
            case Admitted admitted -> check(readable, response, chain, kind, credentials, admitted);
        }
    }

    private void check(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            Kind kind,
            boolean credentials,
            Admitted admitted)
            throws ServletException, IOException {
        boolean refusedCredentials = false;
        boolean turn = false;
        try {
            if (kind != Kind.EXCHANGE) {
                turn = checks.tryAcquire(checkWaitNanos, TimeUnit.NANOSECONDS);
                if (!turn) {
                    refuse(request, response, kind, new Refused(Limit.CHECKS_BUSY, ONE_SECOND));
                    return;
                }
            }
            chain.doFilter(request, response);
            refusedCredentials = credentials && refusedCredentials(kind, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while waiting to check a sign-in", e);
        } finally {
            if (turn) {
                checks.release();
            }
            admitted.finish(refusedCredentials);
        }
    }

    /**
     * The sign-in a request is, or null. It reads the canonical path ({@link
     * CanonicalPathFilter}), which already has every spelling of these paths (case, trailing
     * slash, encoded letters) in the route's own form.
     */
    static @Nullable Kind kind(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String path = CanonicalPathFilter.canonicalPath(request);
        if (path == null) {
            return null;
        }
        if (path.equals(CONSOLE_LOGIN_PATH)) {
            return Kind.CONSOLE;
        }
        if (!path.endsWith("/token")) {
            return null;
        }
        if (CLIENT_CREDENTIALS_PATH.matcher(path).matches()) {
            return Kind.CLIENT_CREDENTIALS;
        }
        return EXCHANGE_PATH.matcher(path).matches() ? Kind.EXCHANGE : null;
    }

    /**
     * The request with its form read. Tomcat throws when it cannot decode a form, but only on
     * the first call; the endpoints answer such a form with a 400 that names it, so the failure
     * is kept and thrown again to them.
     */
    private static HttpServletRequest formRead(HttpServletRequest request) {
        try {
            request.getParameterMap();
            return request;
        } catch (IllegalStateException undecodable) {
            return new UndecodableForm(request, undecodable);
        }
    }

    /** The client id a sign-in names, read as its endpoint will read it, or null. */
    private static @Nullable String clientId(HttpServletRequest request, Kind kind) {
        try {
            if (kind == Kind.CONSOLE) {
                String id = request.getParameter("clientId");
                return id == null ? null : id.strip();
            }
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return basicClientId(authorization.substring(6).strip());
            }
            String contentType = request.getContentType();
            if (contentType == null
                    || !contentType
                            .toLowerCase(Locale.ROOT)
                            .startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
                return null;
            }
            String[] ids = request.getParameterValues("client_id");
            return ids == null || ids.length != 1 ? null : ids[0];
        } catch (RuntimeException undecodable) {
            // The endpoint refuses such a request without checking a secret.
            return null;
        }
    }

    private static @Nullable String basicClientId(String encoded) {
        String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0
                ? null
                : URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
    }

    /** Whether the endpoint refused the secret or assertion (not the request's shape). */
    private static boolean refusedCredentials(Kind kind, HttpServletResponse response) {
        if (kind != Kind.CONSOLE) {
            return response.getStatus() == HttpStatus.UNAUTHORIZED.value();
        }
        String location = response.getHeader(HttpHeaders.LOCATION);
        return response.getStatus() == HttpStatus.FOUND.value()
                && location != null
                && location.contains(CONSOLE_LOGIN_FAILED);
    }

    private void refuse(
            HttpServletRequest request, HttpServletResponse response, Kind kind, Refused refused)
            throws IOException {
        Objects.requireNonNull(refusals.get(refused.limit()), "every limit has a counter")
                .increment();
        long seconds = refused.retryAfter().toSeconds();
        String message = refused.limit().message() + "; retry in " + seconds + " s";
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setCharacterEncoding("UTF-8");
        if (kind == Kind.CONSOLE) {
            response.setContentType(MediaType.TEXT_HTML_VALUE);
            response.setHeader("Content-Security-Policy", "default-src 'none'");
            response.getWriter().write(consolePage(message));
            return;
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(Json.mapper().writeValueAsString(problem(request, message)));
    }

    /**
     * The token endpoints' problem details (see {@link TokenController}), with RFC 6749's {@code
     * error}: {@code temporarily_unavailable} is the registered code for "try again later".
     */
    private static Map<String, Object> problem(HttpServletRequest request, String message) {
        Map<String, Object> problem =
                Refusals.problem(request, HttpStatus.TOO_MANY_REQUESTS, message);
        problem.put("error", "temporarily_unavailable");
        problem.put("error_description", message);
        return problem;
    }

    /** A page of its own: the refusal happens before the console's templates are reached. */
    private static String consolePage(String message) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>IVS console</title></head>
                <body><h1>Sign-in refused for now</h1><p>%s.</p>
                <p><a href="%s">Back to sign-in</a></p></body></html>
                """.formatted(message, CONSOLE_LOGIN_PATH);
    }

    /** A request whose form could not be decoded: reading it fails as it did the first time. */
    private static final class UndecodableForm extends HttpServletRequestWrapper {
        private final IllegalStateException failure;

        UndecodableForm(HttpServletRequest request, IllegalStateException failure) {
            super(request);
            this.failure = failure;
        }

        @Override
        public String getParameter(String name) {
            throw again();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            throw again();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            throw again();
        }

        @Override
        public String[] getParameterValues(String name) {
            throw again();
        }

        private IllegalStateException again() {
            return new IllegalStateException(failure.getMessage(), failure);
        }
    }
}
