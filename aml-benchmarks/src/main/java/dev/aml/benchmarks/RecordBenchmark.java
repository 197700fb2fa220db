package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.maintenance.ItemMemory;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Writes through the runtime API: {@code record} of a new pattern and {@code recordOutcome} on one of
 * 10k existing patterns (which index and cache bookkeeping follow), on the in-memory store and on the
 * file store with {@link Durability#BATCH}. Baseline in the same run: the store's own
 * {@code apply(upsert)} of a ready-made item, without the manager, index or cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBenchmark {

    @Param({"memory", "file"})
    public String store;

    private Path dir;
    private MemoryManager manager;
    private ItemMemory<Pattern, PatternDraft> patterns;
    private List<MemoryItem> existing;
    private MemoryItem template;
    private MemoryStore raw;
    private int next;
    private final PatternDraft draft = PatternDraft.of("retry", Map.of("protocol", "http"))
            .approach("exponential backoff", "transient faults").tags("tag1", "tag2");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("aml-record-bench");
        MemoryStore s = open("managed");
        MemoryFixtures.fill(s, 10_000, 42);
        manager = MemoryManager.builder().store(s).build();
        patterns = manager.agent(MemoryFixtures.agent(0)).patterns();
        existing = s.items(MemoryFixtures.agent(0), ItemKind.PATTERN);
        template = existing.get(0);
        raw = open("raw"); // a second store with the same data and no listeners: the baseline
        MemoryFixtures.fill(raw, 10_000, 42);
    }

    private MemoryStore open(String name) {
        return store.equals("file")
                ? FileMemoryStore.builder(dir.resolve(name)).durability(Durability.BATCH).open()
                : MemoryStore.inMemory();
    }

    /** Drops what {@code record} added, so memory stays bounded and iterations comparable. */
    @TearDown(Level.Iteration)
    public void reset() {
        manager.store().apply(List.of(Change.replaceAll(MemoryFixtures.agent(0), ItemKind.PATTERN, existing)));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        manager.close();
        raw.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** @return a newly recorded pattern */
    @Benchmark
    public Pattern record() {
        return patterns.record(draft);
    }

    /** @return the pattern after learning from one more outcome */
    @Benchmark
    public Pattern recordOutcome() {
        MemoryItem target = existing.get(next++ % existing.size());
        return patterns.recordOutcome(target.id(), (next & 3) == 0 ? Outcome.failure() : Outcome.success());
    }

    /** Baseline: the store's own upsert of an existing item, no manager, index or cache. */
    @Benchmark
    public void storeUpsertBaseline() {
        raw.apply(List.of(Change.upsert(AgentId.of("agent0"), template)));
    }
}
