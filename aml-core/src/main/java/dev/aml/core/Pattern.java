package dev.aml.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An approach that worked for an agent, with statistics that learn from every outcome.
 *
 * @param id unique id (a UUID for patterns AML records)
 * @param agent the {@code agent} field
 * @param timestamp when it was recorded, if known
 * @param pattern the free-form body ({@code type}, {@code context}, {@code approach}, {@code conditions} in Loom)
 * @param metrics usage statistics
 * @param evolution creation, last use, refinements and confidence
 * @param tags tags, in order
 * @param active whether the pattern is active
 * @param extra other top-level fields, kept verbatim
 */
public record Pattern(String id, String agent, @Nullable Instant timestamp, RawJson pattern, PatternMetrics metrics,
        Evolution evolution, List<String> tags, boolean active, RawJson extra) implements MemoryItem {

    /** Copies the tags; rejects nulls. */
    public Pattern {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(evolution, "evolution");
        tags = List.copyOf(tags);
        Objects.requireNonNull(extra, "extra");
    }

    @Override
    public ItemKind kind() {
        return ItemKind.PATTERN;
    }

    @Override
    public @Nullable Instant lastUsed() {
        return evolution.lastUsed() != null ? evolution.lastUsed() : timestamp;
    }

    /** @return {@code metrics.successRate}, clamped to [0, 1] */
    @Override
    public double successRate() {
        return Learning.clamp01(metrics.successRate());
    }

    /** @return {@code evolution.confidenceScore}, clamped to [0, 1] */
    @Override
    public double confidence() {
        return Learning.clamp01(evolution.confidenceScore());
    }

    @Override
    public long executionCount() {
        return metrics.executionCount();
    }

    @Override
    public double weight(Instant now) {
        return Learning.patternWeight(successRate(), Learning.daysSince(lastUsed(), now), executionCount(),
                confidence());
    }

    @Override
    public double value() {
        return Learning.valueScore(successRate(), confidence(), executionCount(), metrics.avgTimeSavedMs());
    }

    @Override
    public boolean bodyContains(String text) {
        return pattern.containsText(text);
    }

    /**
     * Applies Loom's {@code recordUsage} and {@code updateConfidence}: one more execution, last use
     * now, one more refinement, success rate as a running mean, average time saved on success, and
     * the multiplicative confidence update.
     *
     * @param outcome what happened
     * @param now the current instant
     * @param learningRate the confidence learning rate, in [0, 1]
     * @return the updated pattern
     */
    public Pattern withOutcome(Outcome outcome, Instant now, double learningRate) {
        long before = Math.max(0, metrics.executionCount());
        boolean ok = outcome.succeeded();
        PatternMetrics m = new PatternMetrics(
                Learning.successRateAfter(metrics.successRate(), before, ok),
                before + 1,
                Learning.avgTimeSavedAfter(metrics.avgTimeSavedMs(), before, ok, outcome.duration()),
                metrics.errorPreventionCount(),
                metrics.extra());
        Evolution e = new Evolution(evolution.created(), now, evolution.refinements() + 1,
                Learning.confidenceAfter(evolution.confidenceScore(), ok, learningRate), evolution.extra());
        return new Pattern(id, agent, timestamp, pattern, m, e, tags, active, extra);
    }

    @Override
    public Pattern withActive(boolean newActive) {
        return new Pattern(id, agent, timestamp, pattern, metrics, evolution, tags, newActive, extra);
    }

    @Override
    public Pattern withTags(List<String> newTags) {
        return new Pattern(id, agent, timestamp, pattern, metrics, evolution, newTags, active, extra);
    }
}
