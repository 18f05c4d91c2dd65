package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Calculated measures written as formulas, for people: {@code fno.availphysical + fno.onorder -
 * iv.softreserved}. A formula is a sum of measure references, each added or subtracted; terms are
 * separated by white space, and a sign may stand alone or stick to its term ({@code -iv.x}).
 */
public final class Formulas {
    /** A parsed formula: the measures added and the measures subtracted, in order. */
    public record Terms(List<MeasureRef> additions, List<MeasureRef> subtractions) {}

    /** More terms than this is a typing accident, not a measure. */
    static final int TERMS_MAX = 256;

    private Formulas() {}

    public static String format(CalculatedMeasure measure) {
        return format(measure.additions(), measure.subtractions());
    }

    public static String format(List<MeasureRef> additions, List<MeasureRef> subtractions) {
        StringBuilder text = new StringBuilder();
        for (MeasureRef ref : additions) {
            text.append(text.isEmpty() ? "" : " + ").append(ref.qualified());
        }
        for (MeasureRef ref : subtractions) {
            text.append(text.isEmpty() ? "- " : " - ").append(ref.qualified());
        }
        return text.toString();
    }

    /**
     * Parses a formula; {@code field} names the input in error messages. An empty formula has no
     * terms (the measure is always 0).
     */
    public static Terms parse(String field, String formula) {
        List<MeasureRef> additions = new ArrayList<>();
        List<MeasureRef> subtractions = new ArrayList<>();
        Character sign = null;
        boolean termDue = true;
        for (String token : formula.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (additions.size() + subtractions.size() >= TERMS_MAX) {
                throw new InvalidInputException(field, "has more than " + TERMS_MAX + " terms");
            }
            char first = token.charAt(0);
            if (first == '+' || first == '-') {
                if (sign != null) {
                    throw new InvalidInputException(field, "has two signs in a row");
                }
                sign = first;
                termDue = true;
                token = token.substring(1);
                if (token.isEmpty()) {
                    continue;
                }
            }
            if (!termDue) {
                throw new InvalidInputException(field, "'" + token + "' needs a + or - before it");
            }
            if (token.contains("+")) {
                throw new InvalidInputException(
                        field, "'" + token + "': separate terms with spaces around + and -");
            }
            MeasureRef ref = MeasureRef.parse(field, token);
            (sign != null && sign == '-' ? subtractions : additions).add(ref);
            sign = null;
            termDue = false;
        }
        if (sign != null) {
            throw new InvalidInputException(field, "ends with a sign; add the measure after it");
        }
        return new Terms(additions, subtractions);
    }
}
