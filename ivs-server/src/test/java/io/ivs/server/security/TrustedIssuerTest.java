package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

class TrustedIssuerTest {
    private static final String ENTRA = "https://login.microsoftonline.com/t1/v2.0"
            + " https://login.microsoftonline.com/t1/discovery/v2.0/keys api://ivs";
    private static final String KEYCLOAK = "https://kc.example.com/realms/shop"
            + " https://kc.example.com/realms/shop/protocol/openid-connect/certs ivs";

    @Test
    void parseAll_empty_isNoIssuer() {
        assertThat(TrustedIssuer.parseAll("", "ivs")).isEmpty();
        assertThat(TrustedIssuer.parseAll(" ; \n ;", "ivs")).isEmpty();
    }

    @Test
    void parseAll_twoEntries_writtenOnOneOrOverSeveralLines_areBothRead() {
        List<TrustedIssuer> oneLine = TrustedIssuer.parseAll(ENTRA + " ; " + KEYCLOAK, "ivs");
        List<TrustedIssuer> severalLines = TrustedIssuer.parseAll(
                "\n  " + ENTRA.replace(" ", "\n    ") + ";\n  " + KEYCLOAK.replace(" ", "\n    ")
                        + "\n",
                "ivs");

        assertThat(severalLines).isEqualTo(oneLine);
        assertThat(oneLine)
                .containsExactly(
                        new TrustedIssuer(
                                "https://login.microsoftonline.com/t1/v2.0",
                                URI.create(
                                        "https://login.microsoftonline.com/t1/discovery/v2.0/keys"),
                                "api://ivs"),
                        new TrustedIssuer(
                                "https://kc.example.com/realms/shop",
                                URI.create("https://kc.example.com/realms/shop/protocol"
                                        + "/openid-connect/certs"),
                                "ivs"));
    }

    @Test
    void parseAll_wrongFieldCount_namesTheEntry() {
        assertThatThrownBy(() -> TrustedIssuer.parseAll("https://a https://a/keys", "ivs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'https://a https://a/keys'")
                .hasMessageContaining("<issuer> <jwks-url> <audience>");
    }

    @Test
    void parseAll_jwksNotHttp_isRefused() {
        assertThatThrownBy(() -> TrustedIssuer.parseAll("https://a file:///etc/keys aud", "ivs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s) URL");
    }

    @Test
    void parseAll_ownIssuerOrDuplicate_isRefused() {
        assertThatThrownBy(() -> TrustedIssuer.parseAll("ivs https://a/keys aud", "ivs"))
                .hasMessageContaining("own issuer");
        assertThatThrownBy(() -> TrustedIssuer.parseAll(ENTRA + ";" + ENTRA, "ivs"))
                .hasMessageContaining("listed twice");
    }
}
