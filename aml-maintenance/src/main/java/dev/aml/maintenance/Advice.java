package dev.aml.maintenance;

import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.MonitorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the quick reference's decision matrix calls for on a tree right now, with the reason for
 * each step, from {@link MemoryManager#advise()}:
 *
 * <table>
 *   <caption>Decision matrix</caption>
 *   <tr><th>when</th><th>steps</th></tr>
 *   <tr><td>memory over 85 % of a limit (global 800 MB, agent 80 MB)</td><td>backup, prune with all strategies, aggressive</td></tr>
 *   <tr><td>memory over 70 % of a limit</td><td>backup, prune time- and performance-based</td></tr>
 *   <tr><td>average query over 50 ms</td><td>rebuild index, warm cache</td></tr>
 *   <tr><td>cache hit rate under 60 %</td><td>warm cache</td></tr>
 *   <tr><td>index missing or stale</td><td>rebuild index</td></tr>
 *   <tr><td>no verified backup within 24 h</td><td>backup</td></tr>
 * </table>
 * The 50 ms and 60 % come from {@link MonitorConfig}; the limits are its critical memory levels.
 *
 * <p>{@link #apply()} runs the steps in a safe order: backup first, then prune, then the index, then
 * the cache. A prune never runs when the backup before it failed.
 */
public final class Advice {

    /** A maintenance step the matrix can call for, in the order {@link #apply()} runs them. */
    public enum Action {
        /** A full backup (before any prune). */
        BACKUP,
        /** Prune with the time- and performance-based strategies. */
        PRUNE,
        /** Prune with every strategy and the aggressive limits. */
        PRUNE_AGGRESSIVE,
        /** Rebuild the index. */
        REBUILD_INDEX,
        /** Warm the query cache. */
        WARM_CACHE
    }

    /**
     * One recommended step.
     *
     * @param action what to do
     * @param reason why, with the measured value and the threshold
     */
    public record Step(Action action, String reason) {
        /** Rejects nulls. */
        public Step {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Runs one step and describes what it did; throws when it failed. */
    @FunctionalInterface
    public interface StepRunner {
        /**
         * @param step the step
         * @return a one-line summary of what was done
         */
        String run(Step step);
    }

    private final HealthReport basis;
    private final List<Step> steps;
    private final StepRunner runner;

    /**
     * @param basis the health run the advice is based on
     * @param steps the steps; sorted into the safe order
     * @param runner what runs a step
     */
    public Advice(HealthReport basis, List<Step> steps, StepRunner runner) {
        this.basis = Objects.requireNonNull(basis, "basis");
        List<Step> sorted = new ArrayList<>(steps);
        sorted.sort((a, b) -> a.action().compareTo(b.action()));
        this.steps = List.copyOf(sorted);
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** @return the health run the advice is based on */
    public HealthReport basis() {
        return basis;
    }

    /** @return the recommended steps, in the order {@link #apply()} runs them */
    public List<Step> steps() {
        return steps;
    }

    /** @return whether nothing needs doing */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Runs the steps in order. A failed step is reported and the others still run, except that no
     * prune runs after a failed backup.
     *
     * @return what each step did
     */
    public AdviceReport apply() {
        List<AdviceReport.StepResult> results = new ArrayList<>();
        boolean backupFailed = false;
        for (Step s : steps) {
            boolean prune = s.action() == Action.PRUNE || s.action() == Action.PRUNE_AGGRESSIVE;
            if (prune && backupFailed) {
                results.add(new AdviceReport.StepResult(s, AdviceReport.Outcome.SKIPPED,
                        "skipped: the backup before it failed, and pruning never runs without one"));
                continue;
            }
            try {
                results.add(new AdviceReport.StepResult(s, AdviceReport.Outcome.DONE, runner.run(s)));
            } catch (RuntimeException e) {
                backupFailed |= s.action() == Action.BACKUP;
                results.add(new AdviceReport.StepResult(s, AdviceReport.Outcome.FAILED,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return new AdviceReport(results);
    }
}
