package dev.aml.maintenance.monitor;

import java.util.Objects;

/**
 * Sizes and counts of one agent's item files on disk.
 *
 * @param agent the agent folder's name
 * @param sizeBytes bytes of its item files as stored (compressed files count compressed)
 * @param patterns patterns in its readable files
 * @param solutions solutions in its readable files
 * @param decisions decisions in its readable files
 * @param compressedFiles item files stored gzip-compressed
 * @param uncompressedFiles item files stored as plain JSON
 */
public record AgentMetrics(String agent, long sizeBytes, long patterns, long solutions, long decisions,
        int compressedFiles, int uncompressedFiles) {

    /** Rejects a null name. */
    public AgentMetrics {
        Objects.requireNonNull(agent, "agent");
    }
}
