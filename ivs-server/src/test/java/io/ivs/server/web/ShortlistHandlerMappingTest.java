package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPatternParser;

import java.lang.reflect.Method;
import java.util.List;

/**
 * {@link ShortlistHandlerMapping} on a route table made to overlap: fixed and variable last
 * segments, catch-alls, patterns with regular expressions, the same path under several methods
 * and media types, and two routes that tie. Every lookup answers what Spring's lookup over the
 * same table answers. (The integration test does the same over IVS's own routes.)
 */
class ShortlistHandlerMappingTest {
    /** Spring's lookup, which tries every route, over the routes registered with it. */
    static final class SpringLookup extends RequestMappingHandlerMapping {
        @Nullable
        HandlerMethod lookup(String path, HttpServletRequest request) throws Exception {
            return lookupHandlerMethod(path, request);
        }
    }

    /** The handlers the routes name; their methods tell the routes apart. */
    @SuppressWarnings("unused")
    static final class Handlers {
        void fixed() {}

        void variable() {}

        void twoVariables() {}

        void rest() {}

        void regex() {}

        void json() {}

        void text() {}

        void post() {}

        void tieA() {}

        void tieB() {}

        void shorter() {}

        void fixedTail() {}

        void fixedHead() {}
    }

    private static final Handlers HANDLERS = new Handlers();

    private static void route(
            List<RequestMappingHandlerMapping> mappings,
            String handler,
            String path,
            RequestMethod method,
            String... produces)
            throws NoSuchMethodException {
        RequestMappingInfo.BuilderConfiguration config =
                new RequestMappingInfo.BuilderConfiguration();
        config.setPatternParser(PathPatternParser.defaultInstance);
        RequestMappingInfo info = RequestMappingInfo.paths(path)
                .methods(method)
                .produces(produces)
                .options(config)
                .build();
        Method target = Handlers.class.getDeclaredMethod(handler);
        for (RequestMappingHandlerMapping mapping : mappings) {
            mapping.registerMapping(info, HANDLERS, target);
        }
    }

    @Test
    void overlappingRoutes_everyLookupAnswersAsSpringDoes() throws Exception {
        ShortlistHandlerMapping ours = new ShortlistHandlerMapping();
        SpringLookup spring = new SpringLookup();
        List<RequestMappingHandlerMapping> both = List.of(ours, spring);
        route(both, "fixed", "/api/environment/{env}/onhand", RequestMethod.GET);
        route(both, "variable", "/api/environment/{env}/{source}", RequestMethod.GET);
        route(both, "twoVariables", "/api/environment/{env}/{source}/{id}", RequestMethod.GET);
        route(both, "rest", "/api/environment/{env}/files/**", RequestMethod.GET);
        route(both, "regex", "/api/environment/{env}/items/{id:\\d+}", RequestMethod.GET);
        route(
                both,
                "json",
                "/api/environment/{env}/items/list",
                RequestMethod.GET,
                "application/json");
        route(both, "text", "/api/environment/{env}/items/list", RequestMethod.GET, "text/plain");
        route(both, "post", "/api/environment/{env}/onhand", RequestMethod.POST);
        route(both, "tieA", "/tie/{a}", RequestMethod.PUT);
        route(both, "tieB", "/tie/{b}", RequestMethod.PUT);
        route(both, "shorter", "/api/environment", RequestMethod.GET);
        // A path both match, the one with a variable last segment being the more specific.
        route(both, "fixedTail", "/deep/{a}/{b}/end", RequestMethod.GET);
        route(both, "fixedHead", "/deep/lit/mid/{c}", RequestMethod.GET);

        int handled = 0;
        for (String path : List.of(
                "/api/environment/e1/onhand",
                "/api/environment/e1/OnHand",
                "/api/environment/e1/other",
                "/api/environment/e1/onhand/7",
                "/api/environment/e1/items/7",
                "/api/environment/e1/items/x7",
                "/api/environment/e1/items/list",
                "/api/environment/e1/files/a/b/c",
                "/api/environment/e1/files",
                "/api/environment",
                "/api/environment/e1",
                "/api/environment/e1/onhand/",
                "/api/environment/e%31/onhand",
                "/tie/x",
                "/deep/lit/mid/end",
                "/deep/x/y/end",
                "/nothing/here")) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                for (String accept : List.of("application/json", "text/plain", "*/*")) {
                    String expected = outcome(spring::lookup, method, path, accept);
                    assertThat(outcome(ours::lookupHandlerMethod, method, path, accept))
                            .as("%s %s (%s)", method, path, accept)
                            .isEqualTo(expected);
                    if (expected.startsWith("handler ")) {
                        handled++;
                    }
                }
            }
        }
        assertThat(handled).isGreaterThan(20);
        // The cases the table was made for.
        assertThat(outcome(ours::lookupHandlerMethod, "GET", "/api/environment/e1/onhand", "*/*"))
                .endsWith(".fixed()");
        assertThat(outcome(ours::lookupHandlerMethod, "GET", "/api/environment/e1/other", "*/*"))
                .endsWith(".variable()");
        assertThat(outcome(
                        ours::lookupHandlerMethod,
                        "GET",
                        "/api/environment/e1/items/list",
                        "text/plain"))
                .endsWith(".text()");
        assertThat(outcome(ours::lookupHandlerMethod, "GET", "/deep/lit/mid/end", "*/*"))
                .endsWith(".fixedHead()");
        assertThat(outcome(ours::lookupHandlerMethod, "PUT", "/tie/x", "*/*"))
                .isEqualTo("refused java.lang.IllegalStateException");
        assertThat(outcome(
                        ours::lookupHandlerMethod, "DELETE", "/api/environment/e1/onhand", "*/*"))
                .contains("HttpRequestMethodNotSupportedException");
    }

    @Test
    void shapes_ofPlainPatterns_andNullForTheRest() {
        assertThat(ShortlistHandlerMapping.Shortlists.shape("/api/environment/{id}/onhand"))
                .isEqualTo(new ShortlistHandlerMapping.Shortlists.Shape(4, "onhand"));
        assertThat(ShortlistHandlerMapping.Shortlists.shape("/admin/clients/{clientId}"))
                .isEqualTo(new ShortlistHandlerMapping.Shortlists.Shape(3, "{}"));
        assertThat(ShortlistHandlerMapping.Shortlists.shape("/Token"))
                .isEqualTo(new ShortlistHandlerMapping.Shortlists.Shape(1, "token"));
        for (String other : List.of(
                "/files/{*path}",
                "/swagger-ui/**",
                "/a/*/b",
                "/a/{id:\\d+}",
                "/a/{id}.json",
                "/a//b",
                "/a/",
                "/")) {
            assertThat(ShortlistHandlerMapping.Shortlists.shape(other))
                    .as(other)
                    .isNull();
        }
    }

    @FunctionalInterface
    interface Lookup {
        @Nullable
        HandlerMethod lookup(String path, HttpServletRequest request) throws Exception;
    }

    /** What a lookup answers: the handler's method, nothing, or the refusal's type. */
    static String outcome(Lookup lookup, String method, String path, String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setContentType("application/json");
        request.addHeader("Accept", accept);
        ServletRequestPathUtils.parseAndCache(request);
        try {
            HandlerMethod handler = lookup.lookup(path, request);
            return handler == null ? "none" : "handler " + handler.getMethod();
        } catch (Exception refused) {
            return "refused " + refused.getClass().getName();
        }
    }
}
