package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.TestItems;
import dev.aml.core.contract.Together;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cache reads most hits quietly (front table, Caffeine's quiet read) and records one in 64 with
 * Caffeine; these tests show that the size bound and the frequency-based eviction still work, and
 * that misses stay exact across threads while hits are estimated without bias.
 */
class QueryEngineCacheTest {

    private static final Clock CLOCK = Clock.fixed(TestItems.NOW, ZoneOffset.UTC);

    /**
     * Cold queries asked a few times each would, to TinyLFU, look as frequent as hot ones whose reads
     * it never saw (each miss is a write it counts), and push them out; the sampled reads keep the hot
     * queries' frequency well above the cold ones'.
     */
    @Test
    void sampledReadsKeepTheBoundAndTheHotQueries() {
        MemoryStore store = MemoryStore.inMemory();
        store.apply(List.of(Change.upsert(AgentId.of("coder"), TestItems.pattern("p1", "coder"))));
        QueryEngine engine = new QueryEngine(store, IndexStrategy.defaultIndex(), 10, Runnable::run, CLOCK);
        List<MemoryQuery> hot = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            hot.add(MemoryQuery.patterns().limit(i).build());
        }
        long hotQueries = 0;
        long hotMisses = 0;
        for (int round = 0; round < 1_000; round++) {
            for (int age = 0; age < 3 && age <= round; age++) { // cold queries, each asked in 3 rounds
                engine.query(MemoryQuery.patterns().limit(1_000 + round - age).build());
            }
            for (int r = 0; r < 4; r++) {
                for (MemoryQuery q : hot) {
                    long missesBefore = engine.cacheMisses();
                    engine.query(q);
                    hotQueries++;
                    hotMisses += engine.cacheMisses() - missesBefore;
                }
            }
            assertThat(engine.cacheSize()).as("round %d", round).isLessThanOrEqualTo(10);
        }
        assertThat(engine.cacheEvictions()).as("the cold queries were evicted").isGreaterThanOrEqualTo(990);
        assertThat(hotMisses).as("misses of the hot queries out of %d", hotQueries).isLessThan(hotQueries / 100);
        for (MemoryQuery q : hot) {
            long missesBefore = engine.cacheMisses();
            engine.query(q);
            assertThat(engine.cacheMisses()).as("%s is still cached", q).isEqualTo(missesBefore);
        }
    }

    @Test
    void missesAreExactAndHitsEstimatedAcrossThreads() throws Exception {
        MemoryStore store = MemoryStore.inMemory();
        QueryEngine engine = new QueryEngine(store, IndexStrategy.defaultIndex(), 100, Runnable::run, CLOCK);
        MemoryQuery q = MemoryQuery.patterns().build();
        int threads = 4;
        int perThread = 50_000;
        Together.run(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                engine.query(q);
            }
            return null;
        });
        assertThat(engine.cacheMisses()).as("each thread may compute it once before the entry is there")
                .isBetween(1L, (long) threads);
        // 200,000 queries, hits sampled one in 64: standard deviation sqrt(200,000 * 63), about 3,550;
        // 20,000 is more than five of them
        assertThat(engine.cacheHits() + engine.cacheMisses()).isBetween((long) threads * perThread - 20_000, (long) threads * perThread + 20_000);
    }
}
