package dev.aml.benchmarks;

import dev.aml.core.IndexStrategy;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.maintenance.MemoryManager;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
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
 * The common uncached query — one agent, one tag, a minimum success rate, top 10 by weight — over
 * 10k, 100k and 1M patterns (4 agents), with the default index against the {@code scan()} baseline
 * in the same run. The cache is off, so every call computes; the queries rotate through a mix of
 * 1024 whose tags are Zipf-skewed, so popular tags (large postings) dominate as in real traffic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class QueryBenchmark {

    @Param({"10000", "100000", "1000000"})
    public int size;

    @Param({"default", "scan"})
    public String strategy;

    private MemoryManager manager;
    private MemoryQuery[] queries;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        MemoryStore store = MemoryStore.inMemory();
        MemoryFixtures.fill(store, size, 42);
        manager = MemoryManager.builder().store(store).cacheSize(0)
                .clock(Clock.fixed(MemoryFixtures.NOW, ZoneOffset.UTC))
                .indexStrategy(strategy.equals("scan") ? IndexStrategy.scan() : IndexStrategy.defaultIndex())
                .build();
        queries = MemoryFixtures.commonQueries(1024, 7);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** @return the top 10 of the next query of the mix */
    @Benchmark
    public List<MemoryItem> filteredTop10ByWeight() {
        return manager.query(queries[next++ & 1023]);
    }
}
