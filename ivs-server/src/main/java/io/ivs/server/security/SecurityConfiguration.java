package io.ivs.server.security;

import io.ivs.server.web.CanonicalPathFilter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spring Security for IVS: stateless bearer tokens verified by {@link TokenVerifier}, the caller
 * checked against the database on every call ({@link CallerResolver}), and {@link AccessPolicy}
 * deciding what the caller may do. No sessions, cookies or CSRF tokens: every call carries its
 * token.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {
    private static final String BEARER = "Bearer ";

    /**
     * Tokens live in real time. The application's {@code Clock} bean is the business date (the
     * ATP window), which tests move; token lifetimes must not follow it.
     */
    static final Clock TOKEN_CLOCK = Clock.systemUTC();

    /**
     * Paths anyone may call: health for load balancers, metrics for scrapers (they hold counts
     * and latencies per endpoint template, no inventory data), the OpenAPI document (the API is
     * public anyway), the public keys and the token endpoints themselves. They are matched on
     * the canonical path ({@link CanonicalPathFilter}: no trailing slash, fixed segments in the
     * route's case), as every other rule is. {@code /error} is not among them: callers cannot
     * ask for it, and Spring's own error dispatches are let through by dispatcher type.
     */
    static final List<String> OPEN_PATHS = List.of(
            "/health/ping",
            "/actuator/health",
            "/actuator/health/**",
            "/actuator/prometheus",
            "/.well-known/jwks.json",
            "/oauth2/token",
            "/oauth2/v2.0/token",
            "/{tenantId}/oauth2/token",
            "/{tenantId}/oauth2/v2.0/token",
            "/token",
            "/securityservice/token",
            "/swagger-ui.html",
            "/swagger-ui/**",
            "/v3/api-docs",
            "/v3/api-docs/**");

    @Bean
    PasswordEncoder passwordEncoder() {
        // Delegating form ('{bcrypt}…'): stored hashes name their algorithm, so a stronger one
        // can be adopted later without invalidating existing secrets.
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SigningKeys signingKeys(SigningKeyStore store, SecuritySettings settings) {
        return new SigningKeys(store, settings, TOKEN_CLOCK);
    }

    @Bean
    TokenIssuer tokenIssuer(SigningKeys keys, SecuritySettings settings) {
        return new TokenIssuer(keys, settings);
    }

    @Bean
    TokenVerifier tokenVerifier(SigningKeys keys, SecuritySettings settings) {
        return new TokenVerifier(keys, settings, trustedIssuers(settings), TOKEN_CLOCK);
    }

    /**
     * No Spring Security observations: it would wrap every filter of the chain and every
     * authentication in a Micrometer observation, measured at about a tenth of IVS's CPU per API
     * call in ivs-bench (docs/performance.md). Request metrics ({@code http.server.requests})
     * are Spring MVC's and stay.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall with its header rules written as loops: the default
     * rules are regular expressions run on every header read, and the bearer token, read once
     * per call, is several hundred characters long. Same rules, same refusals.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(name -> assignedAndNotControl(name, false));
        firewall.setAllowedHeaderValues(value -> assignedAndNotControl(value, true));
        return firewall;
    }

    /**
     * Spring Security's default header rules: names {@code [\p{IsAssigned}&&[^\p{IsControl}]]*},
     * values the same but also allowing a tab.
     */
    static boolean assignedAndNotControl(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!Character.isDefined(c)
                    || (Character.isISOControl(c) && !(tabAllowed && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** The decoder for API calls; as a bean it also tells Boot not to invent a default user. */
    @Bean
    JwtDecoder accessTokenDecoder(TokenVerifier verifier) {
        return verifier.accessTokenDecoder();
    }

    @Bean
    ClientService clientService(
            ClientStore store, PasswordEncoder encoder, SecuritySettings settings) {
        Set<String> issuers = trustedIssuers(settings).stream()
                .map(TrustedIssuer::issuer)
                .collect(Collectors.toSet());
        return new ClientService(store, encoder, issuers, TOKEN_CLOCK);
    }

    private static List<TrustedIssuer> trustedIssuers(SecuritySettings settings) {
        return TrustedIssuer.parseAll(settings.trustedIssuers(), settings.issuer());
    }

    @Bean
    SecurityStartup securityStartup(
            SigningKeys keys, ClientService clients, SecuritySettings settings) {
        return new SecurityStartup(keys, clients, settings);
    }

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http, JwtDecoder accessTokenDecoder, ClientStore clients) {
        SecurityResponses responses = new SecurityResponses();
        RequestMatcher open = openPaths();
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        // A stale or broken Authorization header must not make an open endpoint fail.
        BearerTokenResolver resolver =
                request -> open.matches(request) ? null : bearerToken(request, bearer);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(
                        session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(server -> server.bearerTokenResolver(resolver)
                        .authenticationEntryPoint(responses)
                        .accessDeniedHandler(responses)
                        // RFC 9728 metadata that Spring Security serves: IVS tokens are plain
                        // bearer tokens, not bound to client certificates.
                        .protectedResourceMetadata(
                                metadata -> metadata.protectedResourceMetadataCustomizer(builder ->
                                        builder.tlsClientCertificateBoundAccessTokens(false)
                                                .resourceName("IVS")))
                        .jwt(jwt -> jwt.decoder(accessTokenDecoder)
                                .jwtAuthenticationConverter(new CallerResolver(clients))))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(responses)
                        .accessDeniedHandler(responses))
                .addFilterBefore(new SecurityFailureFilter(), BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(
                        requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
                                .permitAll()
                                .requestMatchers(open)
                                .permitAll()
                                .anyRequest()
                                .access(policy()));
        return http.build();
    }

    /**
     * The token of a well-formed {@code Authorization: Bearer <token>} header without the
     * regular expression {@link DefaultBearerTokenResolver} runs on it; anything else (another
     * scheme or case, a malformed token, no header) goes to {@code fallback}, which answers or
     * refuses it as before. With the default resolver's settings (no tokens in parameters) the
     * answer is the same either way.
     */
    static @Nullable String bearerToken(HttpServletRequest request, BearerTokenResolver fallback) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith(BEARER) && isTokenText(header, BEARER.length())) {
            return header.substring(BEARER.length());
        }
        return fallback.resolve(request);
    }

    /** RFC 6750's b64token from {@code from} to the end: {@code [A-Za-z0-9-._~+/]+=*}. */
    static boolean isTokenText(String text, int from) {
        int end = text.length();
        while (end > from && text.charAt(end - 1) == '=') {
            end--;
        }
        if (end == from) {
            return false;
        }
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static RequestMatcher openPaths() {
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String path : OPEN_PATHS) {
            matchers.add(PathPatternRequestMatcher.pathPattern(path));
        }
        return new OrRequestMatcher(matchers);
    }

    private static AuthorizationManager<RequestAuthorizationContext> policy() {
        return (authentication, context) -> {
            HttpServletRequest request = context.getRequest();
            Caller caller = authentication.get() instanceof CallerAuthentication known
                    ? known.getPrincipal()
                    : null;
            // The path the handler receives; without it (a request that did not pass the
            // canonical-path filter) nothing is granted.
            String path = CanonicalPathFilter.canonicalPath(request);
            if (path == null) {
                return new SecurityResponses.PolicyDenial("path: not in canonical form");
            }
            AccessPolicy.Decision decision = AccessPolicy.decide(request.getMethod(), path, caller);
            return switch (decision.outcome()) {
                case GRANTED -> new AuthorizationDecision(true);
                case NEEDS_TOKEN -> new AuthorizationDecision(false);
                case DENIED -> new SecurityResponses.PolicyDenial(decision.reason());
            };
        };
    }
}
