package dev.aml.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * A choice an agent made, with its outcome once known.
 *
 * <p>Derived values: without an outcome the success rate is 0.5 (unknown); with one it is the
 * average of the numeric success metrics, or 1/0 by {@code wouldRepeat} when there are none.
 * Confidence is Loom's {@link Learning#decisionConfidence}; executions are 1 with an outcome, else 0;
 * the weight uses the creation time.
 *
 * @param id unique id
 * @param agent the {@code agent} field
 * @param timestamp when it was recorded, if known
 * @param decision the free-form decision ({@code type}, {@code question}, {@code chosenOption}… in Loom)
 * @param outcome what came of it, {@code null} until known
 * @param tags tags, in order
 * @param active whether the decision is active
 * @param reviewedAt when the outcome was recorded, if known
 * @param extra other top-level fields, kept verbatim
 */
public record Decision(String id, String agent, @Nullable Instant timestamp, RawJson decision,
        @Nullable DecisionOutcome outcome, List<String> tags, boolean active, @Nullable Instant reviewedAt,
        RawJson extra) implements MemoryItem {

    /** Copies the tags; rejects nulls. */
    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(decision, "decision");
        tags = List.copyOf(tags);
        Objects.requireNonNull(extra, "extra");
    }

    @Override
    public ItemKind kind() {
        return ItemKind.DECISION;
    }

    @Override
    public @Nullable Instant lastUsed() {
        return timestamp;
    }

    @Override
    public double successRate() {
        if (outcome == null) {
            return 0.5;
        }
        OptionalDouble avg = outcome.successMetricsAverage();
        return avg.isPresent() ? Learning.clamp01(avg.getAsDouble()) : outcome.wouldRepeat() ? 1 : 0;
    }

    @Override
    public double confidence() {
        return outcome == null
                ? Learning.decisionConfidence(Double.NaN, false, true)
                : Learning.decisionConfidence(outcome.confidenceMetricsMean(), true, outcome.wouldRepeat());
    }

    @Override
    public long executionCount() {
        return outcome == null ? 0 : 1;
    }

    @Override
    public double weight(Instant now) {
        return Learning.decisionWeight(confidence(), Learning.daysSince(timestamp, now), outcome != null);
    }

    @Override
    public double value() {
        return Learning.valueScore(successRate(), confidence(), executionCount(), 0);
    }

    @Override
    public boolean bodyContains(String text) {
        return decision.containsText(text);
    }

    /** @return whether the outcome is negative by the reference toolkit's rule (false without outcome) */
    public boolean negativeOutcome() {
        return outcome != null && outcome.negative();
    }

    /**
     * Records a simple outcome: {@code wouldRepeat} becomes the outcome's success, other outcome
     * fields are kept, {@code reviewedAt} becomes now.
     *
     * @param result what happened
     * @param now the current instant
     * @return the updated decision
     */
    public Decision withOutcome(Outcome result, Instant now) {
        DecisionOutcome o = outcome == null
                ? DecisionOutcome.of(result.succeeded())
                : new DecisionOutcome(outcome.successMetrics(), outcome.lessonsLearned(), result.succeeded(),
                        outcome.improvements(), outcome.extra());
        return withOutcome(o, now);
    }

    /**
     * Loom's {@code updateOutcome}: sets the outcome and {@code reviewedAt = now}.
     *
     * @param newOutcome the outcome
     * @param now the current instant
     * @return the updated decision
     */
    public Decision withOutcome(DecisionOutcome newOutcome, Instant now) {
        return new Decision(id, agent, timestamp, decision, Objects.requireNonNull(newOutcome, "newOutcome"), tags,
                active, now, extra);
    }

    @Override
    public Decision withActive(boolean newActive) {
        return new Decision(id, agent, timestamp, decision, outcome, tags, newActive, reviewedAt, extra);
    }

    @Override
    public Decision withTags(List<String> newTags) {
        return new Decision(id, agent, timestamp, decision, outcome, newTags, active, reviewedAt, extra);
    }
}
