package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.QueryIndex;
import dev.aml.core.Rank;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The front table in front of Caffeine only changes where an entry is found: with tiny caches (so
 * queries share slots and Caffeine evicts all the time), random writes and a moving clock, a cached
 * engine answers exactly what an uncached one does, and the table never keeps an entry Caffeine has
 * dropped.
 */
class QueryEngineFrontTableTest {

    private static final Clock CLOCK = Clock.fixed(TestItems.NOW, ZoneOffset.UTC);
    private static final String[] AGENTS = {"a1", "a2"};

    @Property(tries = 200)
    void cachedAnswersAreTheUncachedOnes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int cacheSize) {
        Random rnd = new Random(seed);
        MemoryStore store = MemoryStore.inMemory();
        MutableClock clock = new MutableClock(TestItems.NOW);
        QueryEngine cached = new QueryEngine(store, IndexStrategy.defaultIndex(), cacheSize, Runnable::run, clock);
        QueryEngine truth = new QueryEngine(store, IndexStrategy.scan(), 0, Runnable::run, clock);
        List<MemoryQuery> queries = queries();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < QueryEngine.EXACT_UNTIL; i++) { // past the first queries, which are all sampled,
            cached.query(queries.get(0)); // so most of those below take the front table's fast path
        }
        for (int step = 0; step < 400; step++) {
            int what = rnd.nextInt(10);
            if (what == 0) {
                write(store, rnd, ids);
            } else if (what == 1) {
                clock.advance(Duration.ofMillis(rnd.nextInt(3) * 500L)); // sometimes into the next second
            } else {
                // a fresh but equal instance now and then: found by equals, not identity
                MemoryQuery q = queries.get(rnd.nextInt(queries.size()));
                MemoryQuery asked = rnd.nextInt(4) == 0 ? q.toBuilder().build() : q;
                assertThat(cached.query(asked)).as("step %d, %s", step, asked)
                        .containsExactlyElementsOf(truth.query(asked));
            }
            assertThat(cached.frontHoldsOnlyCachedEntries()).as("step %d", step).isTrue();
        }
        assertThat(cached.cacheSize()).isLessThanOrEqualTo(cacheSize);
    }

    /**
     * A rebuild bumps every version, so a result a query computed from the old index while the
     * rebuild ran (its versions read before) is never served, although it was cached after the
     * rebuild emptied the cache.
     */
    @Test
    void aResultComputedFromTheOldIndexDuringARebuildIsNotServed() {
        MemoryStore store = storeWithP1();
        MisbehavingIndex index = new MisbehavingIndex();
        QueryEngine engine = new QueryEngine(store, index, 100, Runnable::run, CLOCK);
        index.nextAnswer.set(() -> { // the old index answers, and meanwhile the index is rebuilt
            engine.rebuildIndex();
            return List.of();
        });
        MemoryQuery q = MemoryQuery.patterns().agents("a1").build();
        assertThat(engine.query(q)).isEmpty(); // what the old index said, to the query that asked it
        assertThat(engine.query(q)).extracting(MemoryItem::id).containsExactly("p1");
    }

    /** An index update that fails makes the next query rebuild the index before it computes. */
    @Test
    void aFailedIndexUpdateIsRepairedBeforeTheNextQueryComputes() {
        MemoryStore store = storeWithP1();
        MisbehavingIndex index = new MisbehavingIndex();
        QueryEngine engine = new QueryEngine(store, index, 100, Runnable::run, CLOCK);
        MemoryQuery q = MemoryQuery.patterns().agents("a1").build();
        assertThat(engine.query(q)).hasSize(1);
        index.failNextUpdate.set(true);
        store.apply(List.of(Change.upsert(AgentId.of("a1"), TestItems.pattern("p2", "a1"))));
        assertThat(engine.query(q)).extracting(MemoryItem::id).containsExactlyInAnyOrder("p1", "p2");
        assertThat(engine.query(MemoryQuery.patterns().build())).hasSize(2);
    }

    /**
     * While one query rebuilds the index after a failed update, another query that started after the
     * failed write returned waits for the rebuild instead of computing from the index that missed it.
     */
    @Test
    void aQueryDuringTheRepairWaitsForIt() throws Exception {
        MemoryStore store = storeWithP1();
        CountDownLatch rebuilding = new CountDownLatch(1);
        CountDownLatch finishRebuild = new CountDownLatch(1);
        MisbehavingIndex index = new MisbehavingIndex();
        QueryEngine engine = new QueryEngine(store, index, 100, Runnable::run, CLOCK);
        index.failNextUpdate.set(true);
        index.beforeNextRebuild.set(() -> {
            rebuilding.countDown();
            try {
                finishRebuild.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        store.apply(List.of(Change.upsert(AgentId.of("a1"), TestItems.pattern("p2", "a1"))));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<MemoryItem>> repairing = pool.submit(() -> engine.query(MemoryQuery.patterns().build()));
            assertThat(rebuilding.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> second = new AtomicReference<>();
            Future<List<MemoryItem>> waiting = pool.submit(() -> {
                second.set(Thread.currentThread());
                return engine.query(MemoryQuery.patterns().agents("a1").build());
            });
            // let the repair finish once the second query either waits for it or has answered without it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!waiting.isDone() && (second.get() == null || second.get().getState() != Thread.State.BLOCKED)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            finishRebuild.countDown();
            assertThat(waiting.get(30, TimeUnit.SECONDS)).extracting(MemoryItem::id)
                    .containsExactlyInAnyOrder("p1", "p2");
            assertThat(repairing.get(30, TimeUnit.SECONDS)).hasSize(2);
        } finally {
            finishRebuild.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aRebuildOutdatesAndDropsEveryEntry() {
        MemoryStore store = storeWithP1();
        QueryEngine engine = new QueryEngine(store, IndexStrategy.defaultIndex(), 100, Runnable::run, CLOCK);
        List<MemoryQuery> queries = queries();
        for (MemoryQuery q : queries) {
            engine.query(q);
        }
        assertThat(engine.frontEntries()).isPositive();
        long misses = engine.cacheMisses();
        engine.rebuildIndex();
        assertThat(engine.frontEntries()).isZero();
        for (MemoryQuery q : queries) {
            engine.query(q);
        }
        assertThat(engine.cacheMisses()).isEqualTo(misses + queries.size());
    }

    @Test
    void hitsAreExactAtFirstThenAnUnbiasedEstimate() {
        MemoryStore store = storeWithP1();
        QueryEngine engine = new QueryEngine(store, IndexStrategy.defaultIndex(), 100, Runnable::run, CLOCK);
        MemoryQuery q = MemoryQuery.patterns().agents("a1").build();
        for (int i = 0; i < QueryEngine.EXACT_UNTIL; i++) {
            engine.query(q);
        }
        assertThat(engine.cacheMisses()).isEqualTo(1);
        assertThat(engine.cacheHits()).isEqualTo(QueryEngine.EXACT_UNTIL - 1);
        int more = 400_000;
        for (int i = 0; i < more; i++) {
            engine.query(q);
        }
        // each hit is sampled with probability 1/64 and counts 64: the standard deviation of the
        // estimate is sqrt(400,000 * 63), about 5,000; 30,000 (7.5 %) is six of them
        assertThat(engine.cacheMisses()).isEqualTo(1);
        assertThat(engine.cacheHits()).isBetween(QueryEngine.EXACT_UNTIL - 1L + more - 30_000,
                QueryEngine.EXACT_UNTIL - 1L + more + 30_000);
        assertThat((engine.cacheHits() - (QueryEngine.EXACT_UNTIL - 1)) % QueryEngine.RECORD_READ_EVERY)
                .as("after the exact start each sampled hit counts %d", QueryEngine.RECORD_READ_EVERY).isZero();
    }

    @Test
    void aHitReadsTheClockOnlyForAResultThatDependsOnTime() {
        MemoryStore store = storeWithP1();
        AtomicLong reads = new AtomicLong();
        Clock counting = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                reads.incrementAndGet();
                return TestItems.NOW;
            }
        };
        QueryEngine engine = new QueryEngine(store, IndexStrategy.defaultIndex(), 100, Runnable::run, counting);
        MemoryQuery byUsage = MemoryQuery.patterns().rankBy(Rank.USAGE).build();
        MemoryQuery byWeight = MemoryQuery.patterns().rankBy(Rank.WEIGHT).build();
        for (int i = 0; i < QueryEngine.EXACT_UNTIL; i++) { // the first queries are all sampled
            engine.query(byUsage);
            engine.query(byWeight);
        }
        reads.set(0);
        for (int i = 0; i < 10_000; i++) {
            engine.query(byUsage);
        }
        // only the sampled ones (one in 64: about 156, standard deviation 12) read it
        assertThat(reads.get()).isLessThan(1_000);
        reads.set(0);
        for (int i = 0; i < 10_000; i++) {
            engine.query(byWeight);
        }
        assertThat(reads.get()).isGreaterThanOrEqualTo(10_000);
    }

    /** @return an in-memory store holding one pattern, {@code p1} of agent {@code a1} */
    private static MemoryStore storeWithP1() {
        MemoryStore store = MemoryStore.inMemory();
        store.apply(List.of(Change.upsert(AgentId.of("a1"), TestItems.pattern("p1", "a1"))));
        return store;
    }

    private static List<MemoryQuery> queries() {
        List<MemoryQuery> queries = new ArrayList<>();
        for (Rank rank : List.of(Rank.WEIGHT, Rank.USAGE, Rank.RECENCY)) {
            queries.add(MemoryQuery.patterns().rankBy(rank).limit(5).build());
            queries.add(MemoryQuery.patterns().agents("a1").rankBy(rank).build());
            queries.add(MemoryQuery.patterns().agents("a1", "a2").rankBy(rank).limit(3).build());
            queries.add(MemoryQuery.patterns().agents("a2").minSuccessRate(0.5).rankBy(rank).build());
        }
        queries.add(MemoryQuery.builder().agents("a3").build()); // an agent nobody wrote yet
        return queries;
    }

    private static void write(MemoryStore store, Random rnd, List<String> ids) {
        AgentId agent = AgentId.of(AGENTS[rnd.nextInt(AGENTS.length)]);
        if (ids.isEmpty() || rnd.nextBoolean()) {
            String id = "p" + ids.size();
            ids.add(id);
            store.apply(List.of(Change.upsert(agent, TestItems.pattern(id, agent.name(), rnd.nextDouble(),
                    rnd.nextInt(50), rnd.nextDouble(), TestItems.NOW.minusSeconds(rnd.nextInt(90) * 86_400L)))));
        } else {
            store.apply(List.of(Change.delete(agent, ItemKind.PATTERN, ids.get(rnd.nextInt(ids.size())))));
        }
    }

    /** The default index, made to misbehave once on request: a failed update, a slow rebuild, a wrong answer. */
    private static final class MisbehavingIndex implements IndexStrategy {
        final AtomicBoolean failNextUpdate = new AtomicBoolean();
        final AtomicReference<Runnable> beforeNextRebuild = new AtomicReference<>();
        final AtomicReference<Supplier<List<MemoryItem>>> nextAnswer = new AtomicReference<>();

        @Override
        public String name() {
            return "misbehaving";
        }

        @Override
        public QueryIndex create(MemoryStore store) {
            QueryIndex real = IndexStrategy.defaultIndex().create(store);
            return new QueryIndex() {
                @Override
                public List<MemoryItem> query(MemoryQuery query, Instant now) {
                    Supplier<List<MemoryItem>> answer = nextAnswer.getAndSet(null);
                    return answer != null ? answer.get() : real.query(query, now);
                }

                @Override
                public void changed(List<Change> changes) {
                    if (failNextUpdate.getAndSet(false)) {
                        throw new IllegalStateException("index update failed (test)");
                    }
                    real.changed(changes);
                }

                @Override
                public void rebuild() {
                    Runnable before = beforeNextRebuild.getAndSet(null);
                    if (before != null) {
                        before.run();
                    }
                    real.rebuild();
                }
            };
        }
    }
}
