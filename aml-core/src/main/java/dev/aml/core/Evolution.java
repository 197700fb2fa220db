package dev.aml.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a pattern changed over time ({@code evolution} in Loom files).
 *
 * @param created when the pattern was created, if known
 * @param lastUsed when the pattern was last used, if known
 * @param refinements times the pattern was refined (each recorded outcome counts one)
 * @param confidenceScore learned confidence, normally in [0, 1]
 * @param extra fields of the {@code evolution} object AML does not model
 */
public record Evolution(@Nullable Instant created, @Nullable Instant lastUsed, long refinements,
        double confidenceScore, RawJson extra) {

    /** Loom's starting confidence of a newly recorded pattern. */
    public static final double NEW_CONFIDENCE = 0.3;

    /** @throws IllegalArgumentException if the confidence is not finite */
    public Evolution {
        PatternMetrics.requireFinite("confidenceScore", confidenceScore);
        Objects.requireNonNull(extra, "extra");
    }
}
