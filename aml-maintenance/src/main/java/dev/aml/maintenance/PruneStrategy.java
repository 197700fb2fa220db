package dev.aml.maintenance;

import dev.aml.maintenance.internal.prune.BuiltInStrategies;
import java.util.List;
import java.util.Locale;

/**
 * A rule that proposes items to remove. Strategies only <em>propose</em>: the planner merges the
 * proposals of every strategy (an item proposed twice counts once, with the first reason), drops
 * those the guards protect ({@link PruneConfig#preserveHighValue()},
 * {@link PruneConfig#protectNewerThanMinutes()}), and makes the {@link PrunePlan}. Nothing a
 * strategy does can change the store.
 *
 * <p>The built-ins reproduce Loom's rules (LOOM-FORMAT.md §5.1) without its defects; user strategies
 * implement this interface. A user strategy that throws, or proposes an item that is not at the
 * position it names, makes the plan skip that agent with an error naming the strategy.
 */
public interface PruneStrategy {

    /** @return a stable name, e.g. {@code time_based}; shown in reports and accepted by the CLI */
    String name();

    /**
     * @param context one agent's snapshot and the configuration
     * @return the items to remove, each made by {@link PruneContext#candidate}
     */
    List<PruneCandidate> propose(PruneContext context);

    /**
     * Patterns unused for more than {@link PruneConfig#patternMaxAgeDays()} ({@code unused_too_long});
     * decisions older than {@link PruneConfig#decisionMaxAgeDays()} (archived, {@code unused_too_long});
     * solutions older than {@link PruneConfig#solutionMaxAgeDays()} ({@code outdated_solution}); and
     * failed patterns: at least {@link PruneConfig#minExecutionCount()} executions, success rate below
     * {@link PruneConfig#failedPatternSuccessRate()} and created more than
     * {@link PruneConfig#failedPatternMaxAgeDays()} ago ({@code low_success_rate}). Ages are whole days,
     * floored, and a rule fires when the age is strictly greater than the limit. Items without a
     * date are never pruned by age; the plan lists them as undated.
     *
     * @return the time-based strategy
     */
    static PruneStrategy timeBased() {
        return BuiltInStrategies.TIME_BASED;
    }

    /**
     * Patterns with at least {@link PruneConfig#minExecutionCount()} executions whose success rate is
     * below {@link PruneConfig#minSuccessRate()} ({@code low_success_rate}) or whose confidence is below
     * {@link PruneConfig#minConfidenceScore()} ({@code low_confidence}); solutions that did not work
     * ({@code outdated_solution}); decisions with a negative outcome (archived, {@code negative_outcome}).
     *
     * @return the performance-based strategy
     */
    static PruneStrategy performanceBased() {
        return BuiltInStrategies.PERFORMANCE_BASED;
    }

    /**
     * For an agent over {@link PruneConfig#agentMemoryLimitBytes()}: removes patterns, <b>lowest value
     * first</b>, until the agent is at {@link PruneConfig#spaceTargetFraction()} of its limit. When the
     * whole memory is over {@link PruneConfig#globalMemoryLimitBytes()}, every agent frees its share
     * (in proportion to its size) of what brings the memory to that fraction of the global limit; the
     * larger of the two targets wins. Bytes already proposed by earlier strategies count. Protected
     * items are skipped and survivors keep their order ({@code memory_limit_exceeded}).
     *
     * @return the space-based strategy
     */
    static PruneStrategy spaceBased() {
        return BuiltInStrategies.SPACE_BASED;
    }

    /**
     * @param name {@code time_based}, {@code performance_based} or {@code space_based}
     *     (case-insensitive; {@code -} works for {@code _})
     * @return the built-in strategy of that name
     * @throws IllegalArgumentException if there is none, listing the names
     */
    static PruneStrategy named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (PruneStrategy s : List.of(timeBased(), performanceBased(), spaceBased())) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown prune strategy '" + name
                + "'; expected time_based, performance_based or space_based");
    }
}
