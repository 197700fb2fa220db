package dev.aml.maintenance.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the metrics history, field for field Loom's {@code MemoryMetrics} in
 * {@code monitoring/metrics.json}.
 *
 * @param timestamp when it was measured
 * @param totalSizeBytes bytes of all item files (only item files, as Loom counts)
 * @param agentCount agent folders
 * @param patternCount patterns
 * @param solutionCount solutions
 * @param decisionCount decisions
 * @param avgPatternSizeBytes mean compact JSON size of a pattern, 0 when there are none
 * @param largestAgent name of the largest agent ({@code "none"} when there are no agents; first wins on ties)
 * @param largestAgentSizeBytes its size
 * @param compressedFiles gzip item files
 * @param uncompressedFiles plain item files
 * @param indexSizeBytes size of {@code global/index.json}, 0 when absent
 */
public record MemoryMetrics(Instant timestamp, long totalSizeBytes, int agentCount, long patternCount,
        long solutionCount, long decisionCount, double avgPatternSizeBytes, String largestAgent,
        long largestAgentSizeBytes, int compressedFiles, int uncompressedFiles, long indexSizeBytes) {

    /** Rejects nulls. */
    public MemoryMetrics {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(largestAgent, "largestAgent");
    }

    /** @return {@link #totalSizeBytes()} in MiB */
    public double totalMb() {
        return totalSizeBytes / (1024.0 * 1024.0);
    }
}
