package dev.aml.maintenance;

import java.util.Locale;

/**
 * Why an item is proposed for removal. The values and their {@linkplain #value() wire names} are
 * those of Loom's reference toolkit ({@code PruneReason} in {@code pruning.py}), so reports read the
 * same; {@link #FAILED_VALIDATION} and {@link #MANUAL_DELETION} are never produced by the built-in
 * strategies and are free for user strategies.
 */
public enum PruneReason {
    /** Not used for longer than the kind's maximum age (patterns, decisions). */
    UNUSED_TOO_LONG,
    /** Success rate below the configured minimum (performance) or a failed pattern past its age. */
    LOW_SUCCESS_RATE,
    /** A decision whose outcome is negative (metrics average below 0.5, or would not repeat). */
    NEGATIVE_OUTCOME,
    /** A solution that did not work, or older than the solution maximum age. */
    OUTDATED_SOLUTION,
    /** The agent or the whole memory is over its size limit; lowest value first. */
    MEMORY_LIMIT_EXCEEDED,
    /** Confidence below the configured minimum. */
    LOW_CONFIDENCE,
    /** For user strategies: the item failed a validation rule. */
    FAILED_VALIDATION,
    /** For user strategies: an operator asked for it. */
    MANUAL_DELETION;

    /** @return the reference toolkit's name, e.g. {@code unused_too_long} */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value a wire name such as {@code low_success_rate} (case-insensitive)
     * @return the reason
     * @throws IllegalArgumentException if no reason has that name
     */
    public static PruneReason fromValue(String value) {
        for (PruneReason r : values()) {
            if (r.value().equalsIgnoreCase(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Unknown prune reason '" + value + "'; expected one of "
                + java.util.Arrays.stream(values()).map(PruneReason::value).toList());
    }
}
