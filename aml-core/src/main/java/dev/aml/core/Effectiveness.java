package dev.aml.core;

import java.util.Objects;

/**
 * How well a solution worked ({@code effectiveness} in Loom files).
 *
 * @param worked whether the fix worked (a missing value reads as {@code true})
 * @param timeToFixMinutes how long the fix took
 * @param preventedRecurrence times the fix prevented the error from coming back
 * @param relatedErrorsFixed related errors the fix also solved
 * @param extra fields of the {@code effectiveness} object AML does not model
 */
public record Effectiveness(boolean worked, double timeToFixMinutes, long preventedRecurrence,
        long relatedErrorsFixed, RawJson extra) {

    /** @throws IllegalArgumentException if the time is not finite */
    public Effectiveness {
        PatternMetrics.requireFinite("timeToFixMinutes", timeToFixMinutes);
        Objects.requireNonNull(extra, "extra");
    }
}
