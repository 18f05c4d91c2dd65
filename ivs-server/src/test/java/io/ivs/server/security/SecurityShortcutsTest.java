package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written header rules and bearer-token reading of {@link SecurityConfiguration} give
 * the same answers as Spring Security's regular expressions they replace.
 */
class SecurityShortcutsTest {
    @Test
    void headerRules_agreeWithSpringSecurity_onEveryCodePoint() {
        List<String> disagreements = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = "a" + Character.toString(c) + "b";
            if (SecurityConfiguration.assignedAndNotControl(text, false)
                    != StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text)) {
                disagreements.add("name U+" + Integer.toHexString(c));
            }
            if (SecurityConfiguration.assignedAndNotControl(text, true)
                    != StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text)) {
                disagreements.add("value U+" + Integer.toHexString(c));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(SecurityConfiguration.assignedAndNotControl("Bearer\tabc", true))
                .isTrue();
        assertThat(SecurityConfiguration.assignedAndNotControl("Bearer\tabc", false))
                .isFalse();
        assertThat(SecurityConfiguration.assignedAndNotControl("", true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpdnMifQ.c2lnbmF0dXJl",
                "Bearer abc==",
                "Bearer a-b_c~d+e/f.g",
                "bearer abc",
                "BEARER abc",
                "Bearer",
                "Bearer ",
                "Bearer  abc",
                "Bearer not a token",
                "Bearer abc=d",
                "Bearer ===",
                "Bearer abc\t",
                "Bearer\tabc",
                "Basic aXZzOnNlY3JldA==",
                "Token abc",
                ""
            })
    void bearerToken_answersAsTheDefaultResolver(String header) {
        DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/x");
        request.addHeader("Authorization", header);
        String expected;
        try {
            expected = resolver.resolve(request);
        } catch (RuntimeException refused) {
            assertThatThrownBy(() -> SecurityConfiguration.bearerToken(request, resolver))
                    .isInstanceOf(refused.getClass())
                    .hasMessage(refused.getMessage());
            return;
        }
        assertThat(SecurityConfiguration.bearerToken(request, resolver)).isEqualTo(expected);
    }

    @Test
    void bearerToken_withoutHeader_isNone() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/x");
        assertThat(SecurityConfiguration.bearerToken(request, new DefaultBearerTokenResolver()))
                .isNull();
    }
}
