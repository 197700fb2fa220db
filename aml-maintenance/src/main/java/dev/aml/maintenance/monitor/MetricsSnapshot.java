package dev.aml.maintenance.monitor;

import java.util.List;
import java.util.Objects;

/**
 * Everything monitoring measured in one run.
 *
 * @param memory the totals, as saved in the metrics history
 * @param agents per-agent sizes and counts, in agent name order
 * @param patternsPastAgeWarning active patterns unused for at least the warning age
 * @param patternsPastAgeCritical active patterns unused for at least the critical age
 * @param patternsBelowSuccessWarning patterns with enough executions whose success rate is below the warning level
 * @param patternsBelowSuccessCritical patterns with enough executions whose success rate is below the critical level
 * @param performance query latency and cache hit rate
 */
public record MetricsSnapshot(MemoryMetrics memory, List<AgentMetrics> agents, long patternsPastAgeWarning,
        long patternsPastAgeCritical, long patternsBelowSuccessWarning, long patternsBelowSuccessCritical,
        QueryPerformance performance) {

    /** Copies the agent list; rejects nulls. */
    public MetricsSnapshot {
        Objects.requireNonNull(memory, "memory");
        agents = List.copyOf(agents);
        Objects.requireNonNull(performance, "performance");
    }
}
