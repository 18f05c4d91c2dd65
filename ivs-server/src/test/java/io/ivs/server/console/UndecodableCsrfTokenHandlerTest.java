package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

import java.util.Arrays;
import java.util.Base64;

class UndecodableCsrfTokenHandlerTest {
    private static final CsrfToken TOKEN =
            new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "0b7f3a52-1c1e-4a55-9a43-6d2c4b0e8f11");

    /** A masked token of the right length whose unmasked bytes (all 0xFF) are not UTF-8. */
    private static MockHttpServletRequest undecodable() {
        byte[] masked = new byte[72];
        Arrays.fill(masked, 36, 72, (byte) 0xFF);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/console/login");
        request.setParameter("_csrf", Base64.getUrlEncoder().encodeToString(masked));
        return request;
    }

    @Test
    void springsHandler_undecodableToken_throws() {
        assertThatThrownBy(() -> new XorCsrfTokenRequestAttributeHandler()
                        .resolveCsrfTokenValue(undecodable(), TOKEN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolve_undecodableToken_isNoToken() {
        assertThat(new UndecodableCsrfTokenHandler().resolveCsrfTokenValue(undecodable(), TOKEN))
                .isNull();
    }

    @Test
    void resolve_tokenMaskedBySpring_isUnmasked() {
        byte[] raw = TOKEN.getToken().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] masked = new byte[72];
        System.arraycopy(raw, 0, masked, 36, 36);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/console/login");
        request.setParameter("_csrf", Base64.getUrlEncoder().encodeToString(masked));

        assertThat(new UndecodableCsrfTokenHandler().resolveCsrfTokenValue(request, TOKEN))
                .isEqualTo(TOKEN.getToken());
    }
}
