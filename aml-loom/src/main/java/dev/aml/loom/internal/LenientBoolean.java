package dev.aml.loom.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How a boolean field of a Loom item ({@code active}, {@code effectiveness.worked},
 * {@code outcome.wouldRepeat}) that holds something other than {@code true}/{@code false} is read.
 * Loom's Python toolkit tests these fields by truthiness, so trees carry {@code null}, {@code 0}/{@code 1}
 * and the like; skipping the whole agent over one such value helps nobody. The rule, per value:
 *
 * <table>
 *   <caption>Non-boolean values</caption>
 *   <tr><th>value</th><th>read as</th><th>why</th></tr>
 *   <tr><td>{@code null}, {@code ""}</td><td>unknown: the field's default ({@code true})</td>
 *       <td>nobody recorded an answer; the default is what a missing field means (LOOM-FORMAT
 *       Decision 6), so an unknown outcome is never pruned as a failure</td></tr>
 *   <tr><td>{@code 0} / any other finite number</td><td>{@code false} / {@code true}</td>
 *       <td>truthiness, as the toolkit reads it ({@code 1}, a count)</td></tr>
 *   <tr><td>{@code "true" "yes" "1"} / {@code "false" "no" "0"} (any case, trimmed)</td>
 *       <td>{@code true} / {@code false}</td><td>what the writer meant; Python's truthiness would
 *       read {@code "false"} as true, which nobody expects</td></tr>
 *   <tr><td>any other string, an array, an object</td><td>unusable: the default, and the item is
 *       reported (logged with its id and field)</td><td>no reading is safe; only this item is
 *       affected, never the rest of the agent</td></tr>
 * </table>
 *
 * <p>The value itself is never lost: the codec keeps it in the item's extra under its key and writes it
 * back unchanged as long as the typed value still means the same ({@link #keeps}); a changed value
 * is written as a JSON boolean.
 */
final class LenientBoolean {

    private LenientBoolean() {
    }

    /** What a value means. */
    enum Kind {
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** {@code null} or an empty string: the default. */
        UNKNOWN,
        /** A number or a yes/no word, read by the rule. */
        CONVERTED,
        /** Nothing safe to read: the default, and the item is reported. */
        UNUSABLE
    }

    /**
     * @param value the boolean read
     * @param kind how it was read
     */
    record Reading(boolean value, Kind kind) {
    }

    /**
     * @param v the JSON value
     * @param dflt the field's default
     * @return what it means
     */
    static Reading read(JsonNode v, boolean dflt) {
        if (v.isBoolean()) {
            return new Reading(v.booleanValue(), Kind.BOOLEAN);
        }
        if (v.isNull() || v.isMissingNode()) {
            return new Reading(dflt, Kind.UNKNOWN);
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                return new Reading(dflt, Kind.UNUSABLE);
            }
            return new Reading(d != 0, Kind.CONVERTED);
        }
        if (v.isTextual()) {
            String s = v.textValue().strip().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "" -> new Reading(dflt, Kind.UNKNOWN);
                case "true", "yes", "1" -> new Reading(true, Kind.CONVERTED);
                case "false", "no", "0" -> new Reading(false, Kind.CONVERTED);
                default -> new Reading(dflt, Kind.UNUSABLE);
            };
        }
        return new Reading(dflt, Kind.UNUSABLE);
    }

    /**
     * @param kept the value as read (not a JSON boolean)
     * @param value the typed value to write
     * @param dflt the field's default
     * @return whether writing {@code kept} back still means {@code value}
     */
    static boolean keeps(JsonNode kept, boolean value, boolean dflt) {
        return !kept.isBoolean() && read(kept, dflt).value() == value;
    }
}
