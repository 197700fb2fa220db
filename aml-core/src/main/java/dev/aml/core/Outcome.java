package dev.aml.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of one use of a memory item, fed back with {@code recordOutcome}.
 *
 * @param succeeded whether the use succeeded
 * @param duration time saved by a pattern, or time to fix for a solution; zero when unknown
 */
public record Outcome(boolean succeeded, Duration duration) {

    /** @throws IllegalArgumentException if the duration is negative */
    public Outcome {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
    }

    /** @return a success with no time recorded */
    public static Outcome success() {
        return new Outcome(true, Duration.ZERO);
    }

    /**
     * @param timeSaved time the item saved (patterns) or took to fix (solutions)
     * @return a success
     */
    public static Outcome success(Duration timeSaved) {
        return new Outcome(true, timeSaved);
    }

    /** @return a failure */
    public static Outcome failure() {
        return new Outcome(false, Duration.ZERO);
    }
}
