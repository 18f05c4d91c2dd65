package io.ivs.server.security;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An external identity provider whose assertions {@code POST /token} accepts: assertions must
 * carry this {@code iss}, be signed by a key from {@code jwksUrl} and name {@code audience} in
 * {@code aud}.
 */
public record TrustedIssuer(String issuer, URI jwksUrl, String audience) {
    /** A bound on the list, so that a mistaken setting cannot create unbounded key caches. */
    public static final int ISSUERS_MAX = 32;

    /**
     * Parses {@code IVS_TRUSTED_ISSUERS}: entries separated by {@code ;}, each {@code <issuer>
     * <jwks-url> <audience>} separated by white space, line breaks included, so that a long
     * setting can be written over several lines. White space never occurs in a URL, so no
     * quoting is needed.
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    public static List<TrustedIssuer> parseAll(String setting, String ownIssuer) {
        List<TrustedIssuer> issuers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : setting.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            TrustedIssuer issuer = parse(entry.strip());
            if (issuer.issuer().equals(ownIssuer)) {
                throw new IllegalArgumentException("IVS_TRUSTED_ISSUERS: '" + issuer.issuer()
                        + "' is IVS's own issuer (IVS_TOKEN_ISSUER)");
            }
            if (!seen.add(issuer.issuer())) {
                throw new IllegalArgumentException(
                        "IVS_TRUSTED_ISSUERS: '" + issuer.issuer() + "' is listed twice");
            }
            issuers.add(issuer);
        }
        if (issuers.size() > ISSUERS_MAX) {
            throw new IllegalArgumentException(
                    "IVS_TRUSTED_ISSUERS: at most " + ISSUERS_MAX + " issuers are supported");
        }
        return List.copyOf(issuers);
    }

    static TrustedIssuer parse(String entry) {
        String[] fields = entry.split("\\s+");
        if (fields.length != 3) {
            throw new IllegalArgumentException("IVS_TRUSTED_ISSUERS: '" + entry
                    + "' must be '<issuer> <jwks-url> <audience>'");
        }
        URI jwks;
        try {
            jwks = URI.create(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "IVS_TRUSTED_ISSUERS: '" + fields[1] + "' is not a URL", e);
        }
        String scheme = jwks.getScheme() == null ? "" : jwks.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || jwks.getHost() == null) {
            throw new IllegalArgumentException(
                    "IVS_TRUSTED_ISSUERS: '" + fields[1] + "' must be an http(s) URL");
        }
        return new TrustedIssuer(fields[0], jwks, fields[2]);
    }
}
