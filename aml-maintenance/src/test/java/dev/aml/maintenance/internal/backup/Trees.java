package dev.aml.maintenance.internal.backup;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds Loom-shaped memory trees on disk and snapshots them for comparison. */
final class Trees {
    static final LoomJson LOOM = LoomJson.defaults();

    private Trees() {
    }

    static void writeItems(Path root, String agent, ItemKind kind, List<? extends MemoryItem> items) {
        write(root.resolve(agent).resolve(kind.fileName()), LOOM.write(items));
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A small tree: two agents with all kinds, global/index.json, config/schema_version.json, monitoring/. */
    static Path sample(Path root) {
        List<MemoryItem> patterns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            patterns.add(TestItems.pattern("p" + i, "coder"));
        }
        writeItems(root, "coder", ItemKind.PATTERN, patterns);
        writeItems(root, "coder", ItemKind.SOLUTION, List.of(TestItems.solution("s1", "coder", true)));
        writeItems(root, "coder", ItemKind.DECISION, List.of(TestItems.decision("d1", "coder", true)));
        writeItems(root, "reviewer", ItemKind.PATTERN, List.of(TestItems.pattern("r1", "reviewer")));
        write(root.resolve("global/index.json"), "{\"entries\":[],\"version\":\"1.0.0\"}");
        write(root.resolve("config/schema_version.json"), "{\"version\":\"1.0.0\"}");
        write(root.resolve("monitoring/metrics.json"), "{\"history\":[]}");
        return root;
    }

    /** Every file under root, relative path to bytes (as text for readable assertion messages). */
    static SortedMap<String, String> snapshot(Path root) {
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'),
                        new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The snapshot restricted to what backups hold (no monitoring/). */
    static SortedMap<String, String> backedUp(Path root) {
        SortedMap<String, String> all = snapshot(root);
        all.keySet().removeIf(k -> k.startsWith("monitoring/"));
        return all;
    }

    static Map<String, String> without(Map<String, String> m, String key) {
        Map<String, String> copy = new TreeMap<>(m);
        copy.remove(key);
        return copy;
    }
}
