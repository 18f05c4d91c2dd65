package io.ivs.server.reservation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReserveCommand;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The answers to an all-or-nothing order. Like any bulk request, every item answers in place; but
 * an item that cannot even be read refuses the whole order, so the readable items then answer
 * that they were not reserved, and nothing is processed.
 */
final class AtomicOrderAnswers {
    private AtomicOrderAnswers() {}

    static List<ReservationEnvelope> answer(
            List<JsonNode> items,
            BiFunction<JsonNode, String, ReserveCommand> parse,
            Function<List<ReserveCommand>, List<ReservationResult>> process,
            Function<ReservationResult, ReservationEnvelope> envelope,
            int refusedStatus) {
        if (items.size() > Limits.BULK_ITEMS_MAX) {
            throw new InvalidInputException(
                    "items",
                    "holds " + items.size() + " items; an order may hold at most "
                            + Limits.BULK_ITEMS_MAX);
        }
        List<@Nullable ReserveCommand> commands = new ArrayList<>();
        List<@Nullable String> unreadable = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                commands.add(parse.apply(items.get(i), "items[" + i + "]"));
                unreadable.add(null);
            } catch (InvalidInputException e) {
                commands.add(null);
                unreadable.add(e.getMessage());
            }
        }
        if (unreadable.stream().allMatch(m -> m == null)) {
            List<ReserveCommand> all = new ArrayList<>();
            commands.forEach(c -> all.add(java.util.Objects.requireNonNull(c)));
            return process.apply(all).stream().map(envelope).toList();
        }
        List<ReservationEnvelope> answers = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ReserveCommand command = commands.get(i);
            String why = unreadable.get(i);
            answers.add(
                    command == null
                            ? new ReservationEnvelope(
                                    null,
                                    null,
                                    "ohre~" + idOf(items.get(i)),
                                    "failure",
                                    why == null ? "" : why,
                                    400)
                            : new ReservationEnvelope(
                                    null,
                                    null,
                                    "ohre~" + command.id(),
                                    "failure",
                                    "not reserved: the all-or-nothing order was refused because"
                                            + " an item could not be read",
                                    refusedStatus));
        }
        return answers;
    }

    private static String idOf(JsonNode item) {
        JsonNode id = item.isObject() ? item.get("id") : null;
        return id != null && id.isString() ? id.stringValue() : "";
    }
}
