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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to open a tree of N patterns (10 agents) with {@link FileMemoryStore}: read and parse every
 * item file, then replay the journal. {@code CHECKPOINTED} has an empty journal;
 * {@code JOURNAL_100K} adds 100,000 un-checkpointed recordOutcome entries (as after a crash).
 * The baseline {@code parseFilesOnly} reads and parses the same item files with {@link LoomJson}
 * and nothing else. Opens are read-only so every iteration sees the same tree (a read-write open
 * additionally takes the lock and rolls pending checkpoint renames forward, both O(1)).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx8g"})
public class StoreOpenBenchmark {

    /** Total patterns in the tree. */
    @Param({"100000"})
    public int patterns;

    /** Whether the journal is empty or holds 100k entries. */
    @Param({"CHECKPOINTED", "JOURNAL_100K"})
    public String state;

    private Path dir;
    private Path root;
    private List<AgentId> agents;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("aml-bench-open");
        Path source = dir.resolve("source");
        agents = StoreBenchmarks.writeTree(source, patterns, 10);
        if (state.equals("CHECKPOINTED")) {
            root = source;
            return;
        }
        root = dir.resolve("after-crash");
        try (FileMemoryStore store = FileMemoryStore.builder(source).durability(Durability.NONE)
                .checkpointBytes(Long.MAX_VALUE).open()) {
            List<List<String>> ids = new ArrayList<>();
            for (AgentId a : agents) {
                ids.add(store.items(a, ItemKind.PATTERN).stream().map(MemoryItem::id).toList());
            }
            SplittableRandom random = new SplittableRandom(7);
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            for (int i = 0; i < 100_000; i++) {
                int a = random.nextInt(agents.size());
                List<String> list = ids.get(a);
                store.update(agents.get(a), ItemKind.PATTERN, list.get(random.nextInt(list.size())),
                        p -> ((Pattern) p).withOutcome(Outcome.success(), now, 0.1));
            }
            store.flush();
            StoreBenchmarks.copyTree(source, root); // the tree a kill -9 would leave: files + 100k journal entries
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        StoreBenchmarks.deleteTree(dir);
    }

    @Benchmark
    public int openAndRecover() {
        try (FileMemoryStore store = FileMemoryStore.builder(root).readOnly(true).open()) {
            return store.agents().size();
        }
    }

    @Benchmark
    public int parseFilesOnly() throws IOException {
        int n = 0;
        for (AgentId a : agents) {
            n += LoomJson.defaults().read(root.resolve(a.name()).resolve("patterns.json"), ItemKind.PATTERN).size();
        }
        return n;
    }
}
