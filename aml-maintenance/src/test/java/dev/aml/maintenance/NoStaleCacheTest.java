package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * After any write returns (record, outcome, update, delete, or a maintenance write straight to the
 * store), the next query reflects it, even though the same query was cached just before.
 */
class NoStaleCacheTest {

    private static final List<MemoryQuery> QUERIES = List.of(
            MemoryQuery.patterns().agents("coder").tags("t1").minSuccessRate(0.4).limit(10).build(),
            MemoryQuery.patterns().agents("coder").rankBy(Rank.USAGE).limit(5).build(),
            MemoryQuery.patterns().tags("t2").rankBy(Rank.RECENCY).build(),
            MemoryQuery.builder().rankBy(Rank.CONFIDENCE).limit(3).build(),
            MemoryQuery.builder().agents("coder", "tester").activeOnly(false).limit(50).build());

    @Test
    void everyWriteIsVisibleToTheNextQuery() {
        MutableClock clock = new MutableClock(TestItems.NOW);
        try (MemoryManager aml = MemoryManager.builder().clock(clock).build();
                MemoryManager truth = MemoryManager.builder().store(new SharedStore(aml.store())).clock(clock)
                        .indexStrategy(IndexStrategy.scan()).cacheSize(0).build()) {
            Random rnd = new Random(42);
            List<String> ids = new ArrayList<>();
            for (int step = 0; step < 600; step++) {
                for (MemoryQuery q : QUERIES) {
                    aml.query(q); // make sure the cache holds the current answer
                }
                write(aml, rnd, ids);
                for (MemoryQuery q : QUERIES) {
                    assertThat(aml.query(q)).as("step %d, %s", step, q).containsExactlyElementsOf(truth.query(q));
                }
            }
            assertThat(aml.cacheStats().hitCount()).as("the cache was really used").isPositive();
        }
    }

    private static void write(MemoryManager aml, Random rnd, List<String> ids) {
        String agent = rnd.nextBoolean() ? "coder" : "tester";
        ItemMemory<Pattern, PatternDraft> patterns = aml.agent(agent).patterns();
        List<MemoryItem> existing = aml.store().items(AgentId.of(agent), ItemKind.PATTERN);
        int what = rnd.nextInt(6);
        if (what == 0 || existing.isEmpty()) {
            ids.add(patterns.record(PatternDraft.of("p", Map.of()).tags("t" + rnd.nextInt(3))).id());
        } else {
            String id = existing.get(rnd.nextInt(existing.size())).id();
            switch (what) {
                case 1, 2 -> patterns.recordOutcome(id, rnd.nextBoolean() ? Outcome.success() : Outcome.failure());
                case 3 -> patterns.update(id, p -> p.withActive(!p.active()));
                case 4 -> patterns.delete(id);
                default -> aml.store().apply(List.of(Change.replaceAll(AgentId.of(agent), ItemKind.PATTERN,
                        existing.subList(0, existing.size() - 1)))); // a maintenance write
            }
        }
    }

    @Test
    void aWriterAlwaysSeesItsOwnWriteWhileOthersKeepTheCacheWarm() throws Exception {
        MutableClock clock = new MutableClock(TestItems.NOW);
        try (MemoryManager aml = MemoryManager.builder().clock(clock).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String agent = "writer" + w;
                futures.add(pool.submit(() -> {
                    start.await();
                    ItemMemory<Pattern, PatternDraft> patterns = aml.agent(agent).patterns();
                    MemoryQuery q = MemoryQuery.patterns().agents(agent).rankBy(Rank.USAGE).limit(1000).build();
                    for (int i = 0; i < 300; i++) {
                        Pattern p = patterns.record(PatternDraft.of("p", Map.of()));
                        assertThat(aml.query(q)).as("own record").contains(p);
                        Pattern used = patterns.recordOutcome(p.id(), Outcome.success());
                        assertThat(aml.query(q)).as("own outcome").contains(used).doesNotContain(p);
                        patterns.delete(p.id());
                        assertThat(aml.query(q)).as("own delete").doesNotContain(used);
                    }
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    start.await();
                    MemoryQuery q = MemoryQuery.patterns().agents(agent).rankBy(Rank.USAGE).limit(1000).build();
                    while (!done.get()) {
                        aml.query(q);
                        clock.advance(Duration.ofMillis(1));
                    }
                    return null;
                }));
            }
            start.countDown();
            futures.get(0).get(60, TimeUnit.SECONDS);
            futures.get(2).get(60, TimeUnit.SECONDS);
            done.set(true);
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }
}
