package dev.aml.core;

import java.util.Objects;

/**
 * A pattern's usage statistics ({@code metrics} in Loom files).
 *
 * @param successRate running mean of outcomes, normally in [0, 1]
 * @param executionCount times the pattern was used
 * @param avgTimeSavedMs average time saved per use, in milliseconds
 * @param errorPreventionCount errors the pattern prevented
 * @param extra fields of the {@code metrics} object AML does not model
 */
public record PatternMetrics(double successRate, long executionCount, double avgTimeSavedMs,
        long errorPreventionCount, RawJson extra) {

    /** Loom's values for a newly recorded pattern: success rate 0.5, one execution. */
    public static final PatternMetrics NEW = new PatternMetrics(0.5, 1, 0, 0, RawJson.emptyObject());

    /** @throws IllegalArgumentException if a number is not finite */
    public PatternMetrics {
        requireFinite("successRate", successRate);
        requireFinite("avgTimeSavedMs", avgTimeSavedMs);
        Objects.requireNonNull(extra, "extra");
    }

    static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
    }
}
