package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.internal.relevance.DocKey;
import dev.aml.core.internal.relevance.RetrievalEngine;
import dev.aml.core.relevance.RelevanceConfig;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.core.relevance.VectorPersistence;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lexical relevance over {@code size} text patterns ({@link RelevanceFixtures}): the BM25 top 10
 * from the postings (there is no result cache on this path, so every call computes), the whole
 * relevance query (filters, weights, combined score, explanations of the 10 results), the
 * brute-force scorer as the baseline, and the incremental index update a write costs (the store's
 * lookup alone as its baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class RelevanceBenchmark {

    @Param({"100000"})
    public int size;

    private MemoryStore store;
    private RetrievalEngine engine;
    private String[] queries;
    private Situation[] situations;
    private MemoryItem[] rewrites;
    private AgentId[] rewriteAgents;
    private int next;
    private final MemoryQuery all = MemoryQuery.builder().limit(10).build();

    @Setup(Level.Trial)
    public void setUp() {
        store = MemoryStore.inMemory();
        RelevanceFixtures.fill(store, size, 42);
        engine = new RetrievalEngine(store, Clock.fixed(MemoryFixtures.NOW, ZoneOffset.UTC),
                RelevanceConfig.defaults(), List.of(), null, VectorPersistence.none());
        queries = RelevanceFixtures.queries(1024, 7);
        situations = new Situation[queries.length];
        for (int i = 0; i < queries.length; i++) {
            situations[i] = Situation.ofText(queries[i]);
        }
        // rewrites of existing items with new text: what an update of one item costs the index
        SplittableRandom rnd = new SplittableRandom(3);
        rewrites = new MemoryItem[1024];
        rewriteAgents = new AgentId[1024];
        for (int i = 0; i < rewrites.length; i++) {
            int id = rnd.nextInt(size);
            rewrites[i] = RelevanceFixtures.pattern(rnd, id);
            rewriteAgents[i] = AgentId.of("agent" + (id % 4));
        }
        // the store holds the rewritten versions, so changed() re-reads them as it does after a write
        for (int i = 0; i < rewrites.length; i++) {
            store.apply(List.of(Change.upsert(rewriteAgents[i], rewrites[i])));
        }
    }

    /** @return the BM25 top 10 straight from the postings */
    @Benchmark
    public List<Map.Entry<DocKey, Double>> lexicalTop10() {
        return engine.lexicalTopK(queries[next++ & 1023], 10);
    }

    /** @return the whole relevance query: candidates, filters, weights, combined score, explanations */
    @Benchmark
    public List<ScoredItem> relevanceQueryTop10() {
        return engine.query(all, situations[next++ & 1023]);
    }

    /** @return the baseline: every document scored from its own terms */
    @Benchmark
    @Measurement(iterations = 3, time = 1)
    public List<Map.Entry<DocKey, Double>> bruteForceTop10() {
        return engine.bruteForceTopK(queries[next++ & 1023], 10);
    }

    /** The index's share of a write: re-read the item from the store, re-tokenize, move its postings. */
    @Benchmark
    public void incrementalUpdatePerWrite() {
        int i = next++ & 1023;
        engine.changed(List.of(Change.upsert(rewriteAgents[i], rewrites[i])));
    }

    /** @return the baseline of the update: the store lookup it starts with */
    @Benchmark
    public Optional<MemoryItem> storeLookupBaseline() {
        int i = next++ & 1023;
        return store.find(rewriteAgents[i], ItemKind.PATTERN, rewrites[i].id());
    }
}
