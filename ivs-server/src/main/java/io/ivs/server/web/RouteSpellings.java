package io.ivs.server.web;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The case of a path's fixed segments, taken from the route table: {@code /API/Environment/demo/
 * OnHand/IndexQuery} becomes {@code /api/environment/demo/onhand/indexquery}, with the variable
 * segment ({@code demo}) left as it was sent (DESIGN D8: paths are case-insensitive).
 *
 * <p>Doing this before routing, instead of matching routes without case, means routing stays
 * exact and every reader of the path after it (access rules, filters, MVC) sees one spelling: a
 * spelling this class does not recognise is matched by nothing and answers 404, never a route
 * that the access rules read differently.
 *
 * <p>Among the routes whose fixed segments match without case, the one with the most fixed
 * segments wins, so {@code /admin/clients/ROTATE} keeps {@code ROTATE} as a client id.
 */
final class RouteSpellings {
    /** One route pattern, split into segments. */
    private record Route(List<Segment> segments, boolean rest, int literals) {}

    /** A fixed segment ({@code literal} set) or a variable one (any single segment). */
    private record Segment(String literal, boolean variable) {}

    /** Routes by segment count; routes ending in a catch-all are kept apart. */
    private final Map<Integer, List<Route>> exactLength = new HashMap<>();

    private final List<Route> withRest = new ArrayList<>();

    /**
     * @param patterns route patterns in Spring's syntax ({@code /api/environment/{id}/onhand},
     *     {@code /swagger-ui/**}, {@code /files/{*path}})
     */
    RouteSpellings(Collection<String> patterns) {
        for (String pattern : patterns) {
            Route route = parse(pattern);
            if (route.literals() == 0) {
                continue;
            }
            if (route.rest()) {
                withRest.add(route);
            } else {
                exactLength
                        .computeIfAbsent(route.segments().size(), n -> new ArrayList<>())
                        .add(route);
            }
        }
    }

    /** The segments with the case of the best matching route's fixed segments. */
    List<String> respell(List<String> segments) {
        @Nullable Route best = null;
        for (Route route : exactLength.getOrDefault(segments.size(), List.of())) {
            best = better(best, route, segments);
        }
        for (Route route : withRest) {
            if (segments.size() >= route.segments().size()) {
                best = better(best, route, segments);
            }
        }
        if (best == null) {
            return segments;
        }
        List<String> respelled = new ArrayList<>(segments);
        for (int i = 0; i < best.segments().size(); i++) {
            Segment segment = best.segments().get(i);
            if (!segment.variable()) {
                respelled.set(i, segment.literal());
            }
        }
        return respelled;
    }

    private static @Nullable Route better(
            @Nullable Route best, Route candidate, List<String> segments) {
        if (!matches(candidate, segments)) {
            return best;
        }
        return best == null || candidate.literals() > best.literals() ? candidate : best;
    }

    private static boolean matches(Route route, List<String> segments) {
        for (int i = 0; i < route.segments().size(); i++) {
            Segment segment = route.segments().get(i);
            if (!segment.variable() && !segment.literal().equalsIgnoreCase(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Route parse(String pattern) {
        List<Segment> segments = new ArrayList<>();
        boolean rest = false;
        int literals = 0;
        for (String part : pattern.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("**") || part.startsWith("{*")) {
                rest = true;
                break;
            }
            boolean variable =
                    part.indexOf('{') >= 0 || part.indexOf('*') >= 0 || part.indexOf('?') >= 0;
            if (!variable) {
                literals++;
            }
            segments.add(new Segment(part, variable));
        }
        return new Route(List.copyOf(segments), rest, literals);
    }
}
