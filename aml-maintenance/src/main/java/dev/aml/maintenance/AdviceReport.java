package dev.aml.maintenance;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Advice#apply()} did.
 *
 * @param results one per step, in the order they ran
 */
public record AdviceReport(List<StepResult> results) {

    /** How a step ended. */
    public enum Outcome {
        /** It ran. */
        DONE,
        /** It threw; the summary is the error. */
        FAILED,
        /** It did not run (a prune whose backup failed). */
        SKIPPED
    }

    /**
     * @param step the step
     * @param outcome how it ended
     * @param summary what it did, or why it failed or was skipped
     */
    public record StepResult(Advice.Step step, Outcome outcome, String summary) {
        /** Rejects nulls. */
        public StepResult {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** Copies the list. */
    public AdviceReport {
        results = List.copyOf(results);
    }

    /** @return whether every step ran */
    public boolean succeeded() {
        return results.stream().allMatch(r -> r.outcome() == Outcome.DONE);
    }
}
