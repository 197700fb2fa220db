package dev.aml.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What came of a decision ({@code outcome} in Loom files).
 *
 * @param successMetrics {@code developmentSpeed} (a multiplier, 1.0 baseline), {@code apiPerformance},
 *     {@code clientSatisfaction}, {@code maintainability} (each in [0, 1]) and {@code customMetrics};
 *     kept as JSON because writers put arbitrary numbers here
 * @param lessonsLearned lessons, in order
 * @param wouldRepeat whether the agent would decide the same again (a missing value reads as {@code true})
 * @param improvements what to do better
 * @param extra fields of the {@code outcome} object AML does not model
 */
public record DecisionOutcome(RawJson successMetrics, List<String> lessonsLearned, boolean wouldRepeat,
        List<String> improvements, RawJson extra) {

    /** Copies the lists; rejects nulls. */
    public DecisionOutcome {
        Objects.requireNonNull(successMetrics, "successMetrics");
        lessonsLearned = List.copyOf(lessonsLearned);
        improvements = List.copyOf(improvements);
        Objects.requireNonNull(extra, "extra");
    }

    /**
     * @param wouldRepeat whether the agent would decide the same again
     * @return an outcome with no metrics, lessons or improvements
     */
    public static DecisionOutcome of(boolean wouldRepeat) {
        return new DecisionOutcome(RawJson.emptyObject(), List.of(), wouldRepeat, List.of(), RawJson.emptyObject());
    }

    /**
     * The mean Loom's decision confidence uses: over whichever of {@code min(developmentSpeed/1.5, 1)},
     * {@code apiPerformance}, {@code clientSatisfaction} and {@code maintainability} are numbers.
     *
     * @return the mean, or {@code NaN} when none is present
     */
    public double confidenceMetricsMean() {
        if (successMetrics.isEmptyObject()) {
            return Double.NaN;
        }
        JsonNode m = successMetrics.tree();
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, Double> e : Map.of("developmentSpeed", 1.5, "apiPerformance", 1.0,
                "clientSatisfaction", 1.0, "maintainability", 1.0).entrySet()) {
            JsonNode v = m.get(e.getKey());
            if (v != null && v.isNumber()) {
                sum += Math.min(v.doubleValue() / e.getValue(), 1);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The mean of every top-level numeric value of {@code successMetrics} (the reference toolkit's
     * negative-outcome rule); nested objects such as {@code customMetrics} are not counted.
     *
     * @return the mean, or empty when there is no numeric value
     */
    public OptionalDouble successMetricsAverage() {
        if (successMetrics.isEmptyObject()) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        int n = 0;
        for (Iterator<JsonNode> it = successMetrics.tree().elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (v.isNumber()) {
                sum += v.doubleValue();
                n++;
            }
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
    }

    /**
     * The reference toolkit's rule: negative when the success metrics average below 0.5, otherwise
     * when the agent would not repeat the decision.
     *
     * @return whether this outcome is negative
     */
    public boolean negative() {
        OptionalDouble avg = successMetricsAverage();
        if (avg.isPresent() && avg.getAsDouble() < 0.5) {
            return true;
        }
        return !wouldRepeat;
    }
}
