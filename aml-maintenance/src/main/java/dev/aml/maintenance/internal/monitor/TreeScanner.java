package dev.aml.maintenance.internal.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.internal.prune.ItemSizes;
import dev.aml.maintenance.monitor.AgentMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tree on disk the way Loom's monitor does, but honestly: every item file of every agent
 * folder ({@code patterns.json}, {@code solutions.json}, {@code decisions.json} and their
 * {@code .json.gz} forms) is sized, sniffed for gzip by its bytes, and fully parsed. A file that is
 * not a JSON array of objects is reported as a {@link Problem} naming the file, never counted as
 * empty. Nothing is written.
 */
final class TreeScanner {

    /** A file that could not be read. */
    record Problem(Path file, String reason) {
    }

    /** What a scan found. */
    record Scan(boolean rootExists, List<String> missingDirectories, List<AgentMetrics> agents,
            List<Problem> problems, long patternBytes, long patternsSized, boolean indexExists, long indexSizeBytes,
            @Nullable Instant indexModified, Map<String, String> unreadableAgents) {
    }

    private TreeScanner() {
    }

    /**
     * @param files the tree's layout (agent folders, item files)
     * @return what the tree holds
     */
    static Scan scan(StoreFiles files) {
        Path root = files.root();
        if (!Files.isDirectory(root)) {
            return new Scan(false, List.of(), List.of(), List.of(), 0, 0, false, 0, null, Map.of());
        }
        List<String> missing = new ArrayList<>();
        for (String dir : List.of("global", "config")) {
            if (!Files.isDirectory(root.resolve(dir))) {
                missing.add(dir + "/");
            }
        }
        List<AgentMetrics> agents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        long[] patternStats = new long[2];
        // agents are independent files: parse them on all cores, then assemble in name order
        for (AgentScan a : agentFolders(files).parallelStream().map(name -> scanAgent(files, name)).toList()) {
            agents.add(a.metrics());
            problems.addAll(a.problems());
            patternStats[0] += a.patternBytes();
            patternStats[1] += a.patternsSized();
        }
        Path index = root.resolve("global").resolve("index.json");
        boolean indexExists = Files.isRegularFile(index);
        long indexSize = 0;
        Instant indexModified = null;
        if (indexExists) {
            try {
                indexSize = Files.size(index);
                indexModified = Files.getLastModifiedTime(index).toInstant();
            } catch (IOException e) {
                problems.add(new Problem(index, "cannot read its size or time: " + e.getMessage()));
            }
        }
        return new Scan(true, missing, agents, problems, patternStats[0], patternStats[1], indexExists, indexSize,
                indexModified, Map.of());
    }

    /**
     * Measures a store that has no tree on disk (PostgreSQL, in memory) through the SPI: item counts
     * per kind from {@link MemoryStore#items}, sizes as the estimated length of each item's compact
     * Loom JSON ({@link ItemSizes}, the estimate prune plans with), so the limits mean the same bytes
     * as on disk before compression. An agent the store cannot read is listed with its reason, never
     * counted as empty. There are no files, directories or index file: those fields stay empty.
     */
    static Scan scanStore(MemoryStore store) {
        Map<String, String> unreadable = new TreeMap<>();
        store.unreadableAgents().forEach((agent, e) -> unreadable.put(agent.name(), String.valueOf(e.getMessage())));
        List<AgentMetrics> agents = new ArrayList<>();
        long patternBytes = 0;
        long patternsSized = 0;
        for (AgentId agent : store.agents()) {
            if (unreadable.containsKey(agent.name())) {
                continue;
            }
            long size = 0;
            long[] counts = new long[ItemKind.values().length];
            try {
                for (ItemKind kind : ItemKind.values()) {
                    for (MemoryItem item : store.items(agent, kind)) {
                        long n = ItemSizes.compactSize(item);
                        size += n;
                        counts[kind.ordinal()]++;
                        if (kind == ItemKind.PATTERN) {
                            patternBytes += n;
                            patternsSized++;
                        }
                    }
                }
            } catch (CorruptDataException e) {
                unreadable.put(agent.name(), String.valueOf(e.getMessage()));
                continue;
            }
            agents.add(new AgentMetrics(agent.name(), size, counts[ItemKind.PATTERN.ordinal()],
                    counts[ItemKind.SOLUTION.ordinal()], counts[ItemKind.DECISION.ordinal()], 0, 0));
        }
        agents.sort(java.util.Comparator.comparing(AgentMetrics::agent));
        return new Scan(true, List.of(), List.copyOf(agents), List.of(), patternBytes, patternsSized, false, 0, null,
                java.util.Collections.unmodifiableMap(unreadable));
    }

    /** @return folder names under the root that are agents (valid, non-reserved names), sorted */
    private static List<String> agentFolders(StoreFiles files) {
        try {
            return files.agentFolders();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + files.root() + ": " + e.getMessage(), e);
        }
    }

    /** What scanning one agent's files found. */
    private record AgentScan(AgentMetrics metrics, List<Problem> problems, long patternBytes, long patternsSized) {
    }

    private static AgentScan scanAgent(StoreFiles files, String name) {
        List<Problem> problems = new ArrayList<>();
        long[] patternStats = new long[2];
        long size = 0;
        long[] counts = new long[ItemKind.values().length];
        int compressed = 0;
        int plain = 0;
        for (StoreFiles.ItemFile itemFile : files.itemFiles(AgentId.of(name))) {
            ItemKind kind = itemFile.kind();
            Path file = itemFile.path();
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (IOException e) {
                problems.add(new Problem(file, "cannot be read: " + e.getMessage()));
                continue;
            }
            size += data.length;
            if (MonitorFiles.isGzip(data)) {
                compressed++;
            } else {
                plain++;
            }
            try {
                JsonNode tree = MonitorFiles.parse(file, data);
                String shape = shapeProblem(tree);
                if (shape != null) {
                    problems.add(new Problem(file, shape));
                    continue;
                }
                counts[kind.ordinal()] += tree.size();
                if (kind == ItemKind.PATTERN) {
                    for (JsonNode item : tree) {
                        patternStats[0] += compactLength(item);
                        patternStats[1]++;
                    }
                }
            } catch (CorruptDataException e) {
                String m = String.valueOf(e.getMessage());
                problems.add(new Problem(file, m.startsWith(file.toString())
                        ? m.substring(file.toString().length()).strip() : m));
            }
        }
        return new AgentScan(new AgentMetrics(name, size, counts[ItemKind.PATTERN.ordinal()],
                counts[ItemKind.SOLUTION.ordinal()], counts[ItemKind.DECISION.ordinal()], compressed, plain),
                problems, patternStats[0], patternStats[1]);
    }

    private static @Nullable String shapeProblem(JsonNode tree) {
        if (!tree.isArray()) {
            return "is a JSON " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an array of items; it was left untouched";
        }
        for (int i = 0; i < tree.size(); i++) {
            if (!tree.get(i).isObject()) {
                return "element " + i + " is a JSON " + tree.get(i).getNodeType().name().toLowerCase(
                        java.util.Locale.ROOT) + ", not an item object; the file was left untouched";
            }
        }
        return null;
    }

    private static long compactLength(JsonNode item) {
        try {
            return Json.MAPPER.writeValueAsBytes(item).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-serialize a parsed JSON tree", e);
        }
    }
}
