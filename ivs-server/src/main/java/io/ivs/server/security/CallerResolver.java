package io.ivs.server.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a verified access token into a {@link Caller}, checking the client on every call: a
 * revoked client's tokens stop working, and a grant taken away takes the token's use with it.
 * The store caches clients only while it hears every change of them (see {@code
 * JdbcClientStore}): the next call on the revoking instance is refused, and on other instances
 * once PostgreSQL has delivered the change notification (DESIGN D4).
 */
final class CallerResolver implements Converter<Jwt, CallerAuthentication> {
    private final ClientStore clients;

    CallerResolver(ClientStore clients) {
        this.clients = clients;
    }

    @Override
    public CallerAuthentication convert(Jwt jwt) {
        String clientId = claim(jwt, TokenIssuer.CLAIM_CLIENT_ID);
        String environmentId = claim(jwt, TokenIssuer.CLAIM_ENVIRONMENT);
        ClientRecord client = clients.find(clientId)
                .filter(ClientRecord::active)
                .orElseThrow(() -> new InvalidBearerTokenException(
                        "the client '" + clientId + "' of this token is unknown or revoked"));
        if (!client.grants(environmentId)) {
            throw new InvalidBearerTokenException("the client '" + clientId
                    + "' is no longer granted environment '" + environmentId + "'");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<String> names = jwt.getClaimAsStringList(TokenIssuer.CLAIM_ROLES);
        for (String name : names == null ? List.<String>of() : names) {
            Role.parse(name).filter(client.roles()::contains).ifPresent(roles::add);
        }
        return new CallerAuthentication(
                new Caller(clientId, environmentId, roles, client.allEnvironments()));
    }

    /** The verifier's rules require these claims; a token without one is refused all the same. */
    private static String claim(Jwt jwt, String name) {
        String value = jwt.getClaimAsString(name);
        if (value == null) {
            throw new InvalidBearerTokenException("the token has no '" + name + "' claim");
        }
        return value;
    }
}
