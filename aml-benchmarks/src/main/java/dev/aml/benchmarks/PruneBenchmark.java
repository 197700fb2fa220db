package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PrunePlan;
import dev.aml.maintenance.PruneReport;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Pruning over 10 agents and 100k or 1M patterns (ages 0–200 days, random rates), with the
 * reference's default strategies (time-based, performance-based):
 * <ul>
 *   <li>{@code plan}: snapshot and plan (what a dry run costs), target ≤ 1 s for 1M items;</li>
 *   <li>{@code scanBaseline}: the least any plan can cost, one pass over every item applying the
 *       age rule inline, no candidates built;</li>
 *   <li>{@code execute}: plan, then one atomic batch of replacements on the in-memory store,
 *       without a backup (a fresh copy of the tree per invocation);</li>
 *   <li>{@code preBackup}: the pre-prune backup alone, {@code Backups.createFull}, on a file tree of
 *       {@code backupSize} patterns, reported separately because it dominates a real prune.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class PruneBenchmark {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final int AGENTS = 10;

    @Param({"100000", "1000000"})
    int size;

    List<List<MemoryItem>> perAgent;
    MemoryStore store;
    MemoryManager manager;
    final PruneConfig config = PruneConfig.builder().createBackup(false).build();

    static List<List<MemoryItem>> tree(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<List<MemoryItem>> out = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
            String agent = "agent-" + a;
            List<MemoryItem> items = new ArrayList<>(size / AGENTS);
            for (int i = 0; i < size / AGENTS; i++) {
                Instant at = NOW.minusSeconds(r.nextLong(200L * 86_400));
                items.add(new Pattern(agent + "-" + i, agent, at,
                        RawJson.of(Map.of("type", "retry", "approach", Map.of("technique", "backoff " + i))),
                        new PatternMetrics(r.nextDouble(), r.nextInt(60), r.nextInt(2000), 0, RawJson.emptyObject()),
                        new Evolution(at, at, r.nextInt(10), r.nextDouble(), RawJson.emptyObject()),
                        List.of("http", "tag" + r.nextInt(20)), true, RawJson.emptyObject()));
            }
            out.add(items);
        }
        return out;
    }

    static MemoryStore load(MemoryStore store, List<List<MemoryItem>> perAgent) {
        List<Change> changes = new ArrayList<>();
        for (int a = 0; a < perAgent.size(); a++) {
            changes.add(Change.replaceAll(AgentId.of("agent-" + a), ItemKind.PATTERN, perAgent.get(a)));
        }
        store.apply(changes);
        return store;
    }

    static MemoryManager manager(MemoryStore store) {
        return MemoryManager.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .indexStrategy(IndexStrategy.scan()).build();
    }

    @Setup(Level.Trial)
    public void setUp() {
        perAgent = tree(size, 42);
        store = load(MemoryStore.inMemory(), perAgent);
        manager = manager(store);
    }

    /** A fresh, unpruned copy for each {@code execute} invocation. */
    @State(Scope.Thread)
    public static class Fresh {
        MemoryManager manager;

        @Setup(Level.Invocation)
        public void copy(PruneBenchmark b) {
            manager = manager(load(MemoryStore.inMemory(), b.perAgent));
        }
    }

    /** A file tree for the pre-prune backup. */
    @State(Scope.Benchmark)
    public static class FileTree {
        @Param({"100000"})
        int backupSize;

        Path dir;
        MemoryManager manager;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("aml-prune-bench");
            FileMemoryStore store = FileMemoryStore.open(dir.resolve("memory"));
            load(store, tree(backupSize, 7));
            store.checkpoint();
            manager = MemoryManager.builder().store(store).build();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            manager.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PrunePlan plan() {
        return manager.prune(config).plan();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long scanBaseline() {
        long old = 0;
        for (AgentId agent : store.agents()) {
            for (MemoryItem item : store.items(agent, ItemKind.PATTERN)) {
                if (Learning.ageDays(item.lastUsed(), NOW) > 90 || item.successRate() < 0.2) {
                    old++;
                }
            }
        }
        return old;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PruneReport execute(Fresh fresh) {
        return fresh.manager.prune(config).execute();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public BackupInfo preBackup(FileTree tree) {
        return tree.manager.backups().createFull("Pre-prune backup (benchmark)");
    }
}
