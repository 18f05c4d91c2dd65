package io.ivs.server.console;

import io.ivs.server.security.ClientRecord;
import io.ivs.server.security.ClientService;
import io.ivs.server.security.Role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own filter chain, ahead of the API chain and limited to {@code /console/**}:
 * sign-in with an API client's id and secret (form login), a session kept in PostgreSQL by
 * Spring Session (so any instance serves any operator, DESIGN D4), CSRF tokens on every form
 * and htmx request, and sign-out. The API chain (bearer tokens, no session) is not touched.
 * Which pages and actions a client may use is decided per request by {@link ConsoleAccess},
 * against the client as it is in the database now.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {
    static final String LOGIN_PAGE = "/console/login";

    @Bean
    @Order(1)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ClientService clients)
            throws Exception {
        http.securityMatcher("/console", "/console/**")
                .authenticationManager(new ProviderManager(new ClientSecretProvider(clients)))
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers(LOGIN_PAGE, "/console/assets/**")
                                .permitAll()
                                .anyRequest()
                                .authenticated())
                .csrf(csrf -> csrf.csrfTokenRequestHandler(new UndecodableCsrfTokenHandler()))
                .formLogin(form -> form.loginPage(LOGIN_PAGE)
                        .usernameParameter("clientId")
                        .passwordParameter("secret")
                        .defaultSuccessUrl("/console", true)
                        .failureUrl(LOGIN_PAGE + "?error"))
                .logout(logout -> logout.logoutUrl("/console/logout")
                        .logoutSuccessUrl(LOGIN_PAGE + "?signedOut")
                        .deleteCookies("IVS_CONSOLE_SESSION")
                        .invalidateHttpSession(true))
                .headers(headers -> headers.referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self'"
                                        + " 'unsafe-inline'; frame-ancestors 'none'")));
        return http.build();
    }

    /**
     * Checks an API client's id and secret with {@link ClientService#authenticate}, the same
     * check as the token endpoints. Clients of an external issuer have no secret and cannot sign
     * in here. The session keeps only the client id; grants are read again on every request.
     */
    static final class ClientSecretProvider implements AuthenticationProvider {
        private final ClientService clients;

        ClientSecretProvider(ClientService clients) {
            this.clients = clients;
        }

        @Override
        public Authentication authenticate(Authentication authentication)
                throws AuthenticationException {
            String clientId = authentication.getName();
            Object credentials = authentication.getCredentials();
            String secret = credentials == null ? "" : credentials.toString();
            ClientRecord client;
            try {
                client = clients.authenticate(clientId.strip(), secret);
            } catch (RuntimeException rejected) {
                throw new BadCredentialsException("unknown client, wrong secret or revoked");
            }
            return UsernamePasswordAuthenticationToken.authenticated(
                    client.clientId(),
                    null,
                    client.roles().stream()
                            .map(Role::wireName)
                            .sorted()
                            .map(SimpleGrantedAuthority::new)
                            .toList());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
