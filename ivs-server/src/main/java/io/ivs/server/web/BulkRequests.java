package io.ivs.server.web;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.onhand.Limits;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The shape every bulk endpoint shares (spec A3, A4): a JSON array of at most 512 items, each
 * parsed on its own; items that cannot be read get a 400 answer in place, the others are
 * processed together, and the answers come back in request order.
 */
public final class BulkRequests {
    private BulkRequests() {}

    /**
     * @param parse reads item {@code i} given its path {@code [i]}
     * @param process handles the readable items, answering one result per item in order
     * @param answer turns a result into the item's answer
     * @param unreadable the answer for an item that could not be read: its id (if any) and why
     */
    public static <C, R, A> List<A> handle(
            byte @Nullable [] body,
            BiFunction<JsonNode, String, C> parse,
            Function<List<C>, List<R>> process,
            Function<R, A> answer,
            BiFunction<@Nullable String, String, A> unreadable) {
        return handle(body, Limits.BULK_ITEMS_MAX, parse, process, answer, unreadable);
    }

    /** As {@link #handle}, with a bound of {@code itemsMax} items instead of 512. */
    public static <C, R, A> List<A> handle(
            byte @Nullable [] body,
            int itemsMax,
            BiFunction<JsonNode, String, C> parse,
            Function<List<C>, List<R>> process,
            Function<R, A> answer,
            BiFunction<@Nullable String, String, A> unreadable) {
        List<JsonNode> items = Json.array(Json.parse(body), "body");
        if (items.size() > itemsMax) {
            throw new InvalidInputException(
                    "body",
                    "holds " + items.size() + " items; a bulk request may hold at most "
                            + itemsMax);
        }
        List<A> answers = new ArrayList<>(items.size());
        List<C> commands = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            answers.add(null);
            try {
                commands.add(parse.apply(items.get(i), "[" + i + "]"));
                positions.add(i);
            } catch (InvalidInputException e) {
                answers.set(i, unreadable.apply(idOf(items.get(i)), e.getMessage()));
            }
        }
        if (!commands.isEmpty()) {
            List<R> results = process.apply(commands);
            // One result per command, in order, or the answers would land on the wrong items.
            Invariants.check(
                    results.size() == commands.size(),
                    "%s results to %s items",
                    results.size(),
                    commands.size());
            for (int k = 0; k < results.size(); k++) {
                answers.set(positions.get(k), answer.apply(results.get(k)));
            }
        }
        return List.copyOf(answers);
    }

    /** The event id of an item, if it has a readable one, for the envelope of a rejected item. */
    private static @Nullable String idOf(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        try {
            return Json.optionalText(node, "id", "");
        } catch (InvalidInputException e) {
            return null;
        }
    }
}
