package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the store benchmarks: fixture trees and clean-up. */
public final class StoreBenchmarks {

    private StoreBenchmarks() {
    }

    /**
     * Writes a Loom tree of {@code patterns} patterns spread over {@code agents} agents.
     *
     * @param root the memory root to create
     * @param patterns total patterns
     * @param agents number of agents
     * @return the agents
     * @throws IOException if writing fails
     */
    public static List<AgentId> writeTree(Path root, int patterns, int agents) throws IOException {
        List<AgentId> ids = new java.util.ArrayList<>();
        for (int a = 0; a < agents; a++) {
            AgentId agent = AgentId.of("agent-" + a);
            ids.add(agent);
            Path dir = Files.createDirectories(root.resolve(agent.name()));
            int count = patterns / agents + (a < patterns % agents ? 1 : 0);
            Files.write(dir.resolve("patterns.json"), LoomFixtures.patternsJson(count, 1000L + a));
        }
        return ids;
    }

    /**
     * @param dir a directory to delete with everything in it
     * @throws IOException if deleting fails
     */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Copies a tree, as a crash would leave it (everything but the lock file).
     *
     * @param from source
     * @param to target
     * @throws IOException if copying fails
     */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("aml.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
