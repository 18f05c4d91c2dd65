package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;

import tools.jackson.databind.JsonNode;

class SecurityFailureFilterTest {
    private static MockHttpServletResponse run(String path, RuntimeException failure)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain failing = (req, res) -> {
            throw failure;
        };

        new SecurityFailureFilter().doFilter(request, response, failing);

        return response;
    }

    @Test
    void databaseDownWhileCheckingTheCaller_onApi_is503Envelope() throws Exception {
        MockHttpServletResponse response =
                run("/api/environment/e1/onhand", new DataAccessResourceFailureException("down"));

        JsonNode body = IvsClient.parse(response.getContentAsString());
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(body.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(body.path("statusCode").asInt()).isEqualTo(503);
    }

    @Test
    void keysUnreadable_elsewhere_is503ProblemDetails() throws Exception {
        MockHttpServletResponse response =
                run("/admin/clients", new AuthenticationServiceException("keys"));

        JsonNode body = IvsClient.parse(response.getContentAsString());
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(body.path("status").asInt()).isEqualTo(503);
        assertThat(body.path("detail").asString()).contains("retry later");
    }
}
