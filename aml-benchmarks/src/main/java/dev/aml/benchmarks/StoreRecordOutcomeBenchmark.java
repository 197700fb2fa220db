package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.loom.LoomJson;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code recordOutcome}-style updates (atomic read-modify-write of one random pattern with Loom's
 * formulas) on a {@link FileMemoryStore} per durability mode, with 1 and 4 threads, against the
 * baseline of what Loom's runtimes do: rewrite the agent's whole {@code patterns.json} per change
 * (serialize every pattern, temp file, rename; no fsync, as the TypeScript runtime).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StoreRecordOutcomeBenchmark {

    private static final AgentId CODER = AgentId.of("coder");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** {@code REWRITE_WHOLE_FILE} is the baseline; the others are {@link Durability} modes. */
    @Param({"REWRITE_WHOLE_FILE", "SYNC", "BATCH", "NONE"})
    public String mode;

    /** Patterns in the agent's file. */
    @Param({"1000"})
    public int patterns;

    private Path dir;
    private @Nullable FileMemoryStore store;
    private @Nullable WholeFileRewriter baseline;
    private List<String> ids;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("aml-bench-update");
        Path root = dir.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Path file = root.resolve("coder/patterns.json");
        Files.write(file, LoomFixtures.patternsJson(patterns, 42));
        List<MemoryItem> items = LoomJson.defaults().read(file, ItemKind.PATTERN);
        ids = items.stream().map(MemoryItem::id).toList();
        if (mode.equals("REWRITE_WHOLE_FILE")) {
            baseline = new WholeFileRewriter(file, items);
        } else {
            store = FileMemoryStore.builder(root).durability(Durability.valueOf(mode)).open();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        StoreBenchmarks.deleteTree(dir);
    }

    /** Per-thread random choice of the pattern to update. */
    @State(Scope.Thread)
    public static class Chooser {
        final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
    }

    @Benchmark
    @Threads(1)
    public MemoryItem recordOutcome1Thread(Chooser chooser) throws IOException {
        return recordOutcome(chooser);
    }

    @Benchmark
    @Threads(4)
    public MemoryItem recordOutcome4Threads(Chooser chooser) throws IOException {
        return recordOutcome(chooser);
    }

    private MemoryItem recordOutcome(Chooser chooser) throws IOException {
        String id = ids.get(chooser.random.nextInt(ids.size()));
        boolean success = chooser.random.nextInt(4) != 0;
        if (baseline != null) {
            return baseline.update(id, p -> p.withOutcome(success ? Outcome.success() : Outcome.failure(), NOW, 0.1));
        }
        return store.update(CODER, ItemKind.PATTERN, id,
                p -> ((Pattern) p).withOutcome(success ? Outcome.success() : Outcome.failure(), NOW, 0.1));
    }

    /** The reference behaviour: every change rewrites the whole JSON array of the agent. */
    static final class WholeFileRewriter {
        private final Path file;
        private final List<MemoryItem> items;

        WholeFileRewriter(Path file, List<MemoryItem> items) {
            this.file = file;
            this.items = new ArrayList<>(items);
        }

        synchronized MemoryItem update(String id, java.util.function.UnaryOperator<Pattern> fn) throws IOException {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).id().equals(id)) {
                    Pattern next = fn.apply((Pattern) items.get(i));
                    items.set(i, next);
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.write(tmp, LoomJson.defaults().write(items));
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return next;
                }
            }
            throw new IllegalStateException("no pattern " + id);
        }
    }
}
