package io.ivs.server.web;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Spring MVC's handler mapping for controllers, with the routes a path can match looked up by
 * the path's shape instead of tried one by one.
 *
 * <p>Spring finds a route for a path without variables in a map, but for any other path it
 * tests every route's conditions in turn (see github.com/spring-projects/spring-framework/
 * issues/24901 and issues/34461, where it was reported and not changed). Every IV path has a
 * variable, the environment, so each API call tested all of IVS's routes: 17 % of the request
 * threads' CPU per single change event under a steady load, 5 % with this mapping (JFR,
 * docs/performance.md, 2026-12-07).
 *
 * <p>Here a route whose patterns are all plain (each segment either fixed text or one
 * {@code {variable}}) is filed under its segment count and last segment, compared without case
 * (so a shortlist holds more routes, never fewer, should routing ever ignore case); every other
 * route (catch-alls, wildcards, partial variables) is tried for every path. A path is tested
 * against the routes filed under its own count and last segment, those with a variable last
 * segment, and those others: every route that can match it, so the matches, their order and
 * the ambiguity check are Spring's. Whatever this index does not decide goes to Spring's own
 * lookup unchanged: a path that a route names exactly, a path with encoded or matrix parts or
 * empty segments, a CORS pre-flight, and a path no shortlisted route matches (so 404, 405 and
 * 415 answers are Spring's).
 */
final class ShortlistHandlerMapping extends RequestMappingHandlerMapping {
    private volatile @Nullable Shortlists shortlists;

    @Override
    protected @Nullable HandlerMethod lookupHandlerMethod(
            String lookupPath, HttpServletRequest request) throws Exception {
        @Nullable List<Route> candidates = shortlists().of(lookupPath);
        if (candidates == null || CorsUtils.isPreFlightRequest(request)) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        List<Match> matches = new ArrayList<>(2);
        for (Route route : candidates) {
            RequestMappingInfo match = getMatchingMapping(route.info(), request);
            if (match != null) {
                matches.add(new Match(match, route.handler()));
            }
        }
        if (matches.isEmpty()) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        Match best = matches.get(0);
        if (matches.size() > 1) {
            Comparator<RequestMappingInfo> order = getMappingComparator(request);
            matches.sort((a, b) -> order.compare(a.info(), b.info()));
            best = matches.get(0);
            Match second = matches.get(1);
            if (order.compare(best.info(), second.info()) == 0) {
                Method m1 = best.handler().getMethod();
                Method m2 = second.handler().getMethod();
                throw new IllegalStateException("Ambiguous handler methods mapped for '"
                        + request.getRequestURI() + "': {" + m1 + ", " + m2 + "}");
            }
        }
        request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, best.handler());
        handleMatch(best.info(), lookupPath, request);
        return best.handler();
    }

    @Override
    public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
        super.registerMapping(mapping, handler, method);
        shortlists = null;
    }

    @Override
    public void unregisterMapping(RequestMappingInfo mapping) {
        super.unregisterMapping(mapping);
        shortlists = null;
    }

    @Override
    protected void registerHandlerMethod(
            Object handler, Method method, RequestMappingInfo mapping) {
        super.registerHandlerMethod(handler, method, mapping);
        shortlists = null;
    }

    /**
     * The index, built on first use after a change of routes. A lookup runs under the routes'
     * read lock and a registration under their write lock, and each registration drops the
     * index after it, so no index is built from routes older than the last registration.
     */
    private Shortlists shortlists() {
        Shortlists known = shortlists;
        if (known == null) {
            known = Shortlists.of(getHandlerMethods());
            shortlists = known;
        }
        return known;
    }

    /** A registered route and its handler. */
    record Route(RequestMappingInfo info, HandlerMethod handler) {}

    /** A route's conditions as they matched this request, and its handler. */
    private record Match(RequestMappingInfo info, HandlerMethod handler) {}

    /** The routes by path shape; package-private for its test. */
    static final class Shortlists {
        private static final String VARIABLE = "{}";

        private final Map<String, List<Route>> byShape;
        private final Set<String> directPaths;
        private final boolean usable;

        private Shortlists(
                Map<String, List<Route>> byShape, Set<String> directPaths, boolean usable) {
            this.byShape = byShape;
            this.directPaths = directPaths;
            this.usable = usable;
        }

        static Shortlists of(Map<RequestMappingInfo, HandlerMethod> routes) {
            Map<String, Set<Route>> plain = new HashMap<>();
            List<Route> others = new ArrayList<>();
            Set<String> direct = new HashSet<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : routes.entrySet()) {
                Route route = new Route(entry.getKey(), entry.getValue());
                PathPatternsRequestCondition patterns = entry.getKey().getPathPatternsCondition();
                if (patterns == null) {
                    // Routed by the older AntPathMatcher: not indexed, Spring decides.
                    return new Shortlists(Map.of(), Set.of(), false);
                }
                direct.addAll(patterns.getDirectPaths());
                List<String> shapes = new ArrayList<>();
                for (PathPattern pattern : patterns.getPatterns()) {
                    @Nullable String shape = shape(pattern.getPatternString());
                    if (shape == null) {
                        shapes = null;
                        break;
                    }
                    shapes.add(shape);
                }
                if (shapes == null || shapes.isEmpty()) {
                    others.add(route);
                } else {
                    for (String shape : shapes) {
                        plain.computeIfAbsent(shape, s -> new LinkedHashSet<>()).add(route);
                    }
                }
            }
            // Each shortlist: the routes of the path's own shape, those whose last segment is a
            // variable (same count), and the routes that are not plain.
            Map<String, List<Route>> byShape = new HashMap<>();
            Set<String> shapes = new HashSet<>(plain.keySet());
            for (String shape : plain.keySet()) {
                shapes.add(count(shape) + "/" + VARIABLE);
            }
            for (String shape : shapes) {
                Set<Route> list = new LinkedHashSet<>(plain.getOrDefault(shape, Set.of()));
                list.addAll(plain.getOrDefault(count(shape) + "/" + VARIABLE, Set.of()));
                list.addAll(others);
                byShape.put(shape, List.copyOf(list));
            }
            byShape.put("", List.copyOf(others));
            return new Shortlists(Map.copyOf(byShape), Set.copyOf(direct), true);
        }

        /**
         * The routes that can match this path, or null when Spring's own lookup must decide
         * (an exactly named path, encoded or matrix parts, an empty segment, no index).
         */
        @Nullable
        List<Route> of(String path) {
            if (!usable
                    || directPaths.contains(path)
                    || path.length() < 2
                    || path.charAt(0) != '/'
                    || path.endsWith("/")
                    || path.contains("//")
                    || path.indexOf('%') >= 0
                    || path.indexOf(';') >= 0) {
                return null;
            }
            int segments = 0;
            int lastStart = 1;
            for (int i = 0; i < path.length(); i++) {
                if (path.charAt(i) == '/') {
                    segments++;
                    lastStart = i + 1;
                }
            }
            String last = path.substring(lastStart).toLowerCase(Locale.ROOT);
            List<Route> exact = byShape.get(segments + "/" + last);
            if (exact != null) {
                return exact;
            }
            List<Route> variable = byShape.get(segments + "/" + VARIABLE);
            return variable != null ? variable : byShape.get("");
        }

        /**
         * "count/last" of a plain pattern, with {@code {}} for a variable last segment; null
         * for a pattern with anything else (a catch-all, a wildcard, a variable inside text,
         * an empty segment).
         */
        static @Nullable String shape(String pattern) {
            if (pattern.length() < 2 || pattern.charAt(0) != '/' || pattern.endsWith("/")) {
                return null;
            }
            String[] parts = pattern.substring(1).split("/", -1);
            for (String part : parts) {
                boolean variable = part.length() > 2
                        && part.charAt(0) == '{'
                        && part.charAt(part.length() - 1) == '}'
                        && part.indexOf('{', 1) < 0
                        && part.indexOf('}') == part.length() - 1
                        && part.indexOf('*') < 0
                        && part.indexOf(':') < 0;
                boolean literal =
                        !part.isEmpty() && part.chars().noneMatch(c -> "{}*?%;\\".indexOf(c) >= 0);
                if (!variable && !literal) {
                    return null;
                }
            }
            String last = parts[parts.length - 1];
            return parts.length + "/"
                    + (last.charAt(0) == '{' ? VARIABLE : last.toLowerCase(Locale.ROOT));
        }

        private static int count(String shape) {
            return Integer.parseInt(shape.substring(0, shape.indexOf('/')));
        }
    }
}
