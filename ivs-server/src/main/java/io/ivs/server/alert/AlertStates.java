package io.ivs.server.alert;

import java.util.List;

/**
 * What the alert rules of an environment see now, read from the states the evaluator keeps
 * ({@code alert_state}), for a page that shows stock health at a glance. Every read is bounded:
 * stock health comes from the rules' states because counting the records themselves would read
 * every record of the environment.
 */
public interface AlertStates {
    /** Which alerted products a list shows. */
    enum Filter {
        /** Value at or below 0. */
        OUT,
        /** Value below 0 (negative available-to-reserve on a rule watching that measure). */
        NEGATIVE,
        /** At or below the rule's threshold, out of stock included. */
        BELOW
    }

    /**
     * The environment's rules and how many of their products are out, negative or below.
     *
     * @param rules the rules stored, whether or not they saw a product yet
     * @param states the states read, at most the bound given; the counts are of those
     */
    record Counts(int rules, long states, long out, long negative, long below) {}

    /** A product a rule reports, with the value it last saw. */
    record Alerted(
            String rule, String organizationId, String productId, String value, boolean out) {}

    /** Counts over at most {@code statesMax} states, read through index alert_state_rule. */
    Counts counts(String environmentId, int statesMax);

    /**
     * The products matching {@code filter}, lowest values first, at most {@code listedMax}, chosen
     * among at most {@code statesMax} matching states.
     */
    List<Alerted> alerted(String environmentId, Filter filter, int statesMax, int listedMax);
}
