package dev.aml.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aml.core.internal.Json;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

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
        Members m = members(successMetrics);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.size; i++) {
            double scale = CONFIDENCE_METRICS.getOrDefault(m.names[i] == null ? "" : m.names[i], 0.0);
            if (scale > 0 && m.numeric[i]) {
                sum += Math.min(m.values[i] / scale, 1);
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
        Members m = members(successMetrics);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.size; i++) {
            if (m.numeric[i]) {
                sum += m.values[i];
                n++;
            }
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
    }

    /** The metrics Loom's decision confidence averages, each with the value that counts as 1. */
    private static final Map<String, Double> CONFIDENCE_METRICS = Map.of("developmentSpeed", 1.5,
            "apiPerformance", 1.0, "clientSatisfaction", 1.0, "maintainability", 1.0);

    /**
     * The top-level values of a JSON object (or array) as the tree view would give them, without
     * building the tree: one entry per member name, in the order names first appear, holding the
     * last value (Jackson's tree keeps the last of duplicate names); array elements in order, without
     * names; nothing for a scalar. This runs for every decision a prune plans, so it streams.
     */
    private static Members members(RawJson json) {
        Members m = new Members();
        try (JsonParser p = Json.MAPPER.createParser(json.json())) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int i = m.indexOf(name);
                    m.set(i < 0 ? m.add(name) : i, p, p.nextToken());
                }
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
                    m.set(m.add(null), p, t);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("RawJson holds invalid text", e);
        }
        return m;
    }

    /** Growable parallel arrays: member names, numeric values, and whether each value is a number. */
    private static final class Members {
        @Nullable String[] names = new String[8];
        double[] values = new double[8];
        boolean[] numeric = new boolean[8];
        int size;

        int indexOf(String name) {
            for (int i = 0; i < size; i++) {
                if (name.equals(names[i])) {
                    return i;
                }
            }
            return -1;
        }

        int add(@Nullable String name) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
                numeric = Arrays.copyOf(numeric, size * 2);
            }
            names[size] = name;
            return size++;
        }

        void set(int i, JsonParser p, JsonToken value) throws IOException {
            boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
            numeric[i] = number;
            values[i] = number ? p.getDoubleValue() : 0;
            if (value.isStructStart()) {
                p.skipChildren();
            }
        }
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
