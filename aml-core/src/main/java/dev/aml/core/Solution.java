package dev.aml.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fix for an error, with its effectiveness.
 *
 * <p>Derived values: success rate is 1 when the fix worked, else 0; confidence is Loom's
 * {@link Learning#solutionConfidence}; executions are {@code verifiedCount}; the weight uses the
 * creation time (solutions have no last-use field).
 *
 * @param id unique id
 * @param agent the {@code agent} field
 * @param timestamp when it was recorded, if known
 * @param problem the free-form problem ({@code errorType}, {@code errorMessage}, {@code context} in Loom)
 * @param solution the free-form fix ({@code rootCause}, {@code fixApproach}, {@code prevention} in Loom)
 * @param effectiveness how well it worked
 * @param tags tags, in order
 * @param active whether the solution is active
 * @param verifiedCount times the fix was verified
 * @param extra other top-level fields, kept verbatim
 */
public record Solution(String id, String agent, @Nullable Instant timestamp, RawJson problem, RawJson solution,
        Effectiveness effectiveness, List<String> tags, boolean active, long verifiedCount, RawJson extra)
        implements MemoryItem {

    /** Copies the tags; rejects nulls. */
    public Solution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(solution, "solution");
        Objects.requireNonNull(effectiveness, "effectiveness");
        tags = List.copyOf(tags);
        Objects.requireNonNull(extra, "extra");
    }

    @Override
    public ItemKind kind() {
        return ItemKind.SOLUTION;
    }

    @Override
    public @Nullable Instant lastUsed() {
        return timestamp;
    }

    @Override
    public double successRate() {
        return effectiveness.worked() ? 1 : 0;
    }

    @Override
    public double confidence() {
        return Learning.solutionConfidence(effectiveness.worked(), verifiedCount, effectiveness.preventedRecurrence());
    }

    @Override
    public long executionCount() {
        return verifiedCount;
    }

    @Override
    public double weight(Instant now) {
        return Learning.solutionWeight(confidence(), Learning.daysSince(timestamp, now));
    }

    @Override
    public double value() {
        return Learning.valueScore(successRate(), confidence(), executionCount(),
                effectiveness.timeToFixMinutes() * 60_000);
    }

    @Override
    public boolean bodyContains(String text) {
        return problem.containsText(text) || solution.containsText(text);
    }

    /**
     * Applies Loom's {@code recordVerification}: one more verification, {@code worked} set to the
     * outcome, and on success one more prevented recurrence and the time to fix replaced when the
     * outcome carries one.
     *
     * @param outcome what happened
     * @return the updated solution
     */
    public Solution withOutcome(Outcome outcome) {
        boolean ok = outcome.succeeded();
        double minutes = outcome.duration().toMillis() / 60_000d;
        Effectiveness e = new Effectiveness(ok,
                ok && minutes > 0 ? minutes : effectiveness.timeToFixMinutes(),
                effectiveness.preventedRecurrence() + (ok ? 1 : 0),
                effectiveness.relatedErrorsFixed(), effectiveness.extra());
        return new Solution(id, agent, timestamp, problem, solution, e, tags, active, verifiedCount + 1, extra);
    }

    @Override
    public Solution withActive(boolean newActive) {
        return new Solution(id, agent, timestamp, problem, solution, effectiveness, tags, newActive, verifiedCount,
                extra);
    }

    @Override
    public Solution withTags(List<String> newTags) {
        return new Solution(id, agent, timestamp, problem, solution, effectiveness, newTags, active, verifiedCount,
                extra);
    }
}
