package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IVS's controllers are routed by {@link ShortlistHandlerMapping}, and for every route IVS has,
 * every method and several spellings around it, it picks what Spring's own lookup over the same
 * routes picks: the same handler, or the same refusal.
 */
class ShortlistHandlerMappingIntegrationTest extends QueryTestSupport {
    private static final List<String> METHODS =
            List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Autowired
    ApplicationContext context;

    @Test
    void everyRouteMethodAndSpelling_resolvesAsSpringsFullLookupDoes() throws Exception {
        assertThat(mapping).isInstanceOf(ShortlistHandlerMapping.class);
        ShortlistHandlerMapping shortlist = (ShortlistHandlerMapping) mapping;
        Map<RequestMappingInfo, HandlerMethod> routes = mapping.getHandlerMethods();
        ShortlistHandlerMappingTest.SpringLookup spring =
                new ShortlistHandlerMappingTest.SpringLookup();
        spring.setApplicationContext(context);
        routes.forEach((info, handler) ->
                spring.registerMapping(info, handler.getBean(), handler.getMethod()));

        Set<String> paths = new LinkedHashSet<>();
        for (RequestMappingInfo info : routes.keySet()) {
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{\\*[^}]*}", "a/b")
                        .replace("**", "a/b")
                        .replaceAll("\\{[^}]*}", "x1")
                        .replace("*", "x2");
                paths.add(path);
                paths.add(path + "/");
                paths.add(path + "/nosuch");
                paths.add(path.toUpperCase(Locale.ROOT));
                paths.add(path.substring(0, path.lastIndexOf('/') + 1) + "nosuch");
            }
        }
        int handled = 0;
        int compared = 0;
        for (String path : paths) {
            for (String method : METHODS) {
                for (String accept : List.of("application/json", "text/plain", "*/*")) {
                    String ours = ShortlistHandlerMappingTest.outcome(
                            shortlist::lookupHandlerMethod, method, path, accept);
                    String theirs = ShortlistHandlerMappingTest.outcome(
                            spring::lookup, method, path, accept);
                    assertThat(ours).as("%s %s (%s)", method, path, accept).isEqualTo(theirs);
                    compared++;
                    if (ours.startsWith("handler ")) {
                        handled++;
                    }
                }
            }
        }
        // The comparison covered the routes themselves, not only refusals.
        assertThat(handled).isGreaterThan(routes.size());
        assertThat(compared).isGreaterThan(routes.size() * METHODS.size() * 5);
    }

    @Test
    void anApiPath_isTestedAgainstAFewRoutesOnly() {
        int routes = mapping.getHandlerMethods().size();
        ShortlistHandlerMapping.Shortlists index =
                ShortlistHandlerMapping.Shortlists.of(mapping.getHandlerMethods());
        List<ShortlistHandlerMapping.Route> onHand = index.of("/api/environment/e1/onhand");
        assertThat(onHand).isNotNull();
        assertThat(onHand.size()).as("of %d routes", routes).isLessThan(routes / 5);
        assertThat(onHand)
                .anySatisfy(route -> assertThat(route.info().getPatternValues())
                        .contains("/api/environment/{environmentId}/onhand"));
        // Paths Spring itself must decide.
        assertThat(index.of("/api/environment/e%31/onhand")).isNull();
        assertThat(index.of("/api/environment/e1/onhand/")).isNull();
        assertThat(index.of("/api/environment//onhand")).isNull();
        assertThat(index.of("/api/environment/e1;a=b/onhand")).isNull();
    }

    @Test
    void singleEventsAndQueries_overHttp_stillReachTheirHandlers() {
        post(event(
                "shortlist-1",
                "usmf",
                "P1",
                dims("SiteId", "1", "LocationId", "11"),
                "pos",
                "inbound",
                3));
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["siteId", "locationId"], "returnNegative": true}""");
        assertThat(rows.get(0).path("quantities").path("pos").path("inbound").asInt())
                .isEqualTo(3);
        assertThat(client.delete(api("/onhand"), "{}").status()).isEqualTo(405);
    }
}
