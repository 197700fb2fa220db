package dev.aml.core;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The learning and ranking formulas of Loom's runtime, as pure functions.
 *
 * <p>All inputs are clamped where the formula's domain requires it, so every result stays in its
 * documented range even for odd data found in hand-edited files. Formulas come from Loom's
 * TypeScript runtime (LOOM-FORMAT.md Part B §3) and the Python toolkit's pruning rules (Part A §5.1).
 */
public final class Learning {

    /** Default learning rate of the confidence update ({@code learning.learningRate} in Loom). */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    /** Lowest confidence a failure can push a pattern to. */
    public static final double CONFIDENCE_FLOOR = 0.1;
    /** Recency scale of the pattern weight, in days. */
    public static final double PATTERN_RECENCY_DAYS = 30;
    /** Recency scale of the solution weight, in days. */
    public static final double SOLUTION_RECENCY_DAYS = 60;
    /** Recency scale of the decision weight, in days. */
    public static final double DECISION_RECENCY_DAYS = 90;

    private static final double MILLIS_PER_DAY = 86_400_000d;

    private Learning() {
    }

    /**
     * Multiplicative confidence update: on success {@code min(c·(1+lr), 1)}, on failure
     * {@code max(c·(1−lr), 0.1)}.
     *
     * @param confidence current confidence, clamped to [0, 1]
     * @param success whether the use succeeded
     * @param learningRate in [0, 1]
     * @return the new confidence, in [0, 1] (at least 0.1 after a failure)
     * @throws IllegalArgumentException if the learning rate is outside [0, 1] or not a number
     */
    public static double confidenceAfter(double confidence, boolean success, double learningRate) {
        if (!(learningRate >= 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in [0, 1], was " + learningRate);
        }
        double c = clamp01(confidence);
        return success ? Math.min(c * (1 + learningRate), 1) : Math.max(c * (1 - learningRate), CONFIDENCE_FLOOR);
    }

    /**
     * Running mean of outcomes where every earlier use, and the creation, counts once:
     * with {@code n = executionsBefore + 1}, success gives {@code (r·(n−1) + 1)/n}, failure
     * {@code r·(n−1)/n}.
     *
     * @param successRate current rate, clamped to [0, 1]
     * @param executionsBefore executions before this one (negative counts as 0)
     * @param success whether this use succeeded
     * @return the new rate, in [0, 1]
     */
    public static double successRateAfter(double successRate, long executionsBefore, boolean success) {
        double r = clamp01(successRate);
        double prior = Math.max(0, executionsBefore);
        double n = prior + 1;
        return clamp01((r * prior + (success ? 1 : 0)) / n);
    }

    /**
     * Loom's average-time-saved update: only a success with a positive time changes it, to
     * {@code (avg·(n−1) + t)/n} with {@code n = executionsBefore + 1}.
     *
     * @param avgMillis current average, negative counts as 0
     * @param executionsBefore executions before this one
     * @param success whether this use succeeded
     * @param saved time saved by this use
     * @return the new average in milliseconds
     */
    public static double avgTimeSavedAfter(double avgMillis, long executionsBefore, boolean success, Duration saved) {
        double avg = Math.max(0, finiteOr(avgMillis, 0));
        long t = saved.toMillis();
        if (!success || t <= 0) {
            return avg;
        }
        double prior = Math.max(0, executionsBefore);
        return (avg * prior + t) / (prior + 1);
    }

    /**
     * Pattern weight: {@code 0.4·successRate + 0.3·e^(−daysSinceLastUse/30) + 0.15·min(executions/100, 1)
     * + 0.15·confidence}.
     *
     * @param successRate clamped to [0, 1]
     * @param daysSinceLastUse fractional days, negative counts as 0, infinite gives no recency
     * @param executions execution count
     * @param confidence clamped to [0, 1]
     * @return the weight, in [0, 1]
     */
    public static double patternWeight(double successRate, double daysSinceLastUse, long executions,
            double confidence) {
        return 0.4 * clamp01(successRate)
                + 0.3 * recency(daysSinceLastUse, PATTERN_RECENCY_DAYS)
                + 0.15 * Math.min(Math.max(0, executions) / 100d, 1)
                + 0.15 * clamp01(confidence);
    }

    /**
     * Solution confidence: {@code min((worked ? 0.7 : 0.3) + min(0.05·verified, 0.2)
     * + min(0.02·preventedRecurrence, 0.1), 1)}.
     *
     * @param worked whether the fix worked
     * @param verifiedCount times it was verified
     * @param preventedRecurrence times it prevented a recurrence
     * @return the confidence, in [0.3, 1]
     */
    public static double solutionConfidence(boolean worked, long verifiedCount, long preventedRecurrence) {
        return Math.min((worked ? 0.7 : 0.3)
                + Math.min(0.05 * Math.max(0, verifiedCount), 0.2)
                + Math.min(0.02 * Math.max(0, preventedRecurrence), 0.1), 1);
    }

    /**
     * Solution weight: {@code 0.7·confidence + 0.3·e^(−daysSinceCreated/60)}.
     *
     * @param confidence clamped to [0, 1]
     * @param daysSinceCreated fractional days
     * @return the weight, in [0, 1]
     */
    public static double solutionWeight(double confidence, double daysSinceCreated) {
        return 0.7 * clamp01(confidence) + 0.3 * recency(daysSinceCreated, SOLUTION_RECENCY_DAYS);
    }

    /**
     * Decision confidence: 0.5 without an outcome; otherwise the mean of the present metrics
     * ({@code min(developmentSpeed/1.5, 1)}, apiPerformance, clientSatisfaction, maintainability;
     * 0.5 when none), plus 0.1 if the decision would be repeated, else minus 0.1, clamped to [0.1, 1].
     *
     * @param metricsMean the mean of the present metrics, or {@code NaN} when none is present
     * @param hasOutcome whether an outcome was recorded
     * @param wouldRepeat whether the decision would be repeated
     * @return the confidence, in [0.1, 1]
     */
    public static double decisionConfidence(double metricsMean, boolean hasOutcome, boolean wouldRepeat) {
        if (!hasOutcome) {
            return 0.5;
        }
        double base = Double.isNaN(metricsMean) ? 0.5 : clamp01(metricsMean);
        return Math.max(0.1, Math.min(1, base + (wouldRepeat ? 0.1 : -0.1)));
    }

    /**
     * Decision weight: {@code 0.5·confidence + 0.3·e^(−daysSinceCreated/90) + (hasOutcome ? 0.2 : 0)}.
     *
     * @param confidence clamped to [0, 1]
     * @param daysSinceCreated fractional days
     * @param hasOutcome whether an outcome was recorded
     * @return the weight, in [0, 1]
     */
    public static double decisionWeight(double confidence, double daysSinceCreated, boolean hasOutcome) {
        return 0.5 * clamp01(confidence) + 0.3 * recency(daysSinceCreated, DECISION_RECENCY_DAYS)
                + (hasOutcome ? 0.2 : 0);
    }

    /**
     * The value score that space-based pruning and high-value preservation use:
     * {@code 0.4·successRate + 0.3·confidence + 0.2·min(executions/50, 1) + 0.1·min(avgTimeSavedMs/1000, 1)}.
     *
     * @param successRate clamped to [0, 1]
     * @param confidence clamped to [0, 1]
     * @param executions execution count
     * @param avgTimeSavedMs average time saved
     * @return the value, in [0, 1]
     */
    public static double valueScore(double successRate, double confidence, long executions, double avgTimeSavedMs) {
        return 0.4 * clamp01(successRate) + 0.3 * clamp01(confidence)
                + 0.2 * Math.min(Math.max(0, executions) / 50d, 1)
                + 0.1 * Math.min(Math.max(0, finiteOr(avgTimeSavedMs, 0)) / 1000d, 1);
    }

    /**
     * Whole days from {@code then} to {@code now}, floored (Loom's pruning ages): 1 day and 23 hours
     * is 1. Negative when {@code then} is in the future.
     *
     * @param then the earlier instant
     * @param now the current instant
     * @return floored whole days
     */
    public static long ageDays(Instant then, Instant now) {
        return Math.floorDiv(Duration.between(then, now).toMillis(), 86_400_000L);
    }

    /**
     * @param then an instant, or {@code null} when unknown
     * @param now the current instant
     * @return fractional days since {@code then}, never negative; infinite when {@code then} is unknown
     */
    public static double daysSince(@Nullable Instant then, Instant now) {
        if (then == null) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0, Duration.between(then, now).toMillis() / MILLIS_PER_DAY);
    }

    static double recency(double days, double scale) {
        if (Double.isNaN(days) || days == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return Math.exp(-Math.max(0, days) / scale);
    }

    /** @return {@code v} clamped to [0, 1]; {@code NaN} becomes 0 */
    static double clamp01(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return Math.max(0, Math.min(1, v));
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }
}
