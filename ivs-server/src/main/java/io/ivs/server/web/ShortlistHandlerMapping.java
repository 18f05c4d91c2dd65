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
        List<Route> matches = new ArrayList<>(2);
        for (Route route : candidates) {
            RequestMappingInfo match = getMatchingMapping(route.info(), request);
            if (match != null) {
                matches.add(new Route(match, route.handler()));
            }
        }
        if (matches.isEmpty()) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        Route best = matches.get(0);
        if (matches.size() > 1) {
            Comparator<RequestMappingInfo> order = getMappingComparator(request);
            matches.sort((a, b) -> order.compare(a.info(), b.info()));
            best = matches.get(0);
            Route second = matches.get(1);
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

    /**
     * A route and its handler: as registered in a shortlist, and as it matched a request (the
     * conditions that matched) among the matches of a lookup.
     */
    record Route(RequestMappingInfo info, HandlerMethod handler) {}

    /** The routes by path shape; package-private for its test. */
    static final class Shortlists {
        /** The last segment of a shape whose last segment is a variable. */
        static final String VARIABLE = "{}";

        /** A plain pattern's segment count and last segment (lower case, or {@link #VARIABLE}). */
        record Shape(int segments, String last) {}

        /** By segment count, then last segment: the routes such a path is tested against. */
        private final Map<Integer, Map<String, List<Route>>> byShape;

        /** The routes that are not plain, tried for every path. */
        private final List<Route> others;

        private final Set<String> directPaths;
        private final boolean usable;

        private Shortlists(
                Map<Integer, Map<String, List<Route>>> byShape,
                List<Route> others,
                Set<String> directPaths,
                boolean usable) {
            this.byShape = byShape;
            this.others = others;
            this.directPaths = directPaths;
            this.usable = usable;
        }

        static Shortlists of(Map<RequestMappingInfo, HandlerMethod> routes) {
            Map<Integer, Map<String, Set<Route>>> plain = new HashMap<>();
            List<Route> others = new ArrayList<>();
            Set<String> direct = new HashSet<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : routes.entrySet()) {
                Route route = new Route(entry.getKey(), entry.getValue());
                PathPatternsRequestCondition patterns = entry.getKey().getPathPatternsCondition();
                if (patterns == null) {
                    // Routed by the older AntPathMatcher: not indexed, Spring decides.
                    return new Shortlists(Map.of(), List.of(), Set.of(), false);
                }
                direct.addAll(patterns.getDirectPaths());
                @Nullable List<Shape> shapes = shapes(patterns);
                if (shapes == null) {
                    others.add(route);
                    continue;
                }
                for (Shape shape : shapes) {
                    plain.computeIfAbsent(shape.segments(), n -> new HashMap<>())
                            .computeIfAbsent(shape.last(), last -> new LinkedHashSet<>())
                            .add(route);
                }
            }
            // Each shortlist: the routes of the path's own shape, those of its segment count
            // whose last segment is a variable, and the routes that are not plain.
            Map<Integer, Map<String, List<Route>>> byShape = new HashMap<>();
            plain.forEach((segments, byLast) -> {
                Set<Route> variable = byLast.getOrDefault(VARIABLE, Set.of());
                Map<String, List<Route>> lists = new HashMap<>();
                byLast.forEach((last, own) -> lists.put(last, shortlist(own, variable, others)));
                lists.putIfAbsent(VARIABLE, shortlist(Set.of(), variable, others));
                byShape.put(segments, Map.copyOf(lists));
            });
            return new Shortlists(
                    Map.copyOf(byShape), List.copyOf(others), Set.copyOf(direct), true);
        }

        private static List<Route> shortlist(
                Set<Route> own, Set<Route> variable, List<Route> others) {
            Set<Route> list = new LinkedHashSet<>(own);
            list.addAll(variable);
            list.addAll(others);
            return List.copyOf(list);
        }

        /** The shapes of a route's patterns, or null when one of them is not plain. */
        private static @Nullable List<Shape> shapes(PathPatternsRequestCondition patterns) {
            List<Shape> shapes = new ArrayList<>();
            for (PathPattern pattern : patterns.getPatterns()) {
                @Nullable Shape shape = shape(pattern.getPatternString());
                if (shape == null) {
                    return null;
                }
                shapes.add(shape);
            }
            return shapes.isEmpty() ? null : shapes;
        }

        /**
         * The routes that can match this path, or null when Spring's own lookup must decide
         * (an exactly named path, encoded or matrix parts, an empty segment, no index).
         */
        @Nullable
        List<Route> of(String path) {
            if (!usable || path.isEmpty() || path.charAt(0) != '/' || directPaths.contains(path)) {
                return null;
            }
            int segments = 0;
            int lastStart = 0;
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c == '/') {
                    if (i + 1 == path.length() || path.charAt(i + 1) == '/') {
                        return null; // an empty segment
                    }
                    segments++;
                    lastStart = i + 1;
                } else if (c == '%' || c == ';') {
                    return null;
                }
            }
            Map<String, List<Route>> byLast = byShape.get(segments);
            if (byLast == null) {
                return others;
            }
            List<Route> own = byLast.get(path.substring(lastStart).toLowerCase(Locale.ROOT));
            return own != null ? own : byLast.get(VARIABLE);
        }

        /**
         * The shape of a plain pattern; null for a pattern with anything else (a catch-all, a
         * wildcard, a variable inside text or with a regular expression, an empty segment).
         */
        static @Nullable Shape shape(String pattern) {
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
            return new Shape(
                    parts.length, last.charAt(0) == '{' ? VARIABLE : last.toLowerCase(Locale.ROOT));
        }
    }
}
