package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aml.core.AgentId;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.core.contract.Together;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads feeding outcomes to the same items lose none, and the index ends in the store's state. */
class ConcurrentOutcomesTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 400;

    @Test
    void noOutcomeIsLostAndTheIndexFollows() throws Exception {
        MutableClock clock = new MutableClock(TestItems.NOW);
        try (MemoryManager aml = MemoryManager.builder().clock(clock).build();
                MemoryManager reference = MemoryManager.builder().store(new SharedStore(aml.store()))
                        .indexStrategy(IndexStrategy.scan()).cacheSize(0).clock(clock).build()) {
            ItemMemory<Pattern, PatternDraft> patterns = aml.agent("coder").patterns();
            Pattern a = patterns.record(PatternDraft.of("retry", Map.of()).tags("http"));
            Pattern b = patterns.record(PatternDraft.of("poll", Map.of()).tags("http"));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        String id = (i + thread) % 2 == 0 ? a.id() : b.id();
                        patterns.recordOutcome(id, thread % 4 == 0 ? Outcome.failure() : Outcome.success());
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        assertThat(aml.query(MemoryQuery.patterns().tags("http"))).hasSize(2);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            Pattern finalA = patterns.get(a.id()).orElseThrow();
            Pattern finalB = patterns.get(b.id()).orElseThrow();
            assertThat(finalA.metrics().executionCount() + finalB.metrics().executionCount())
                    .isEqualTo(2 + THREADS * PER_THREAD);
            assertThat(finalA.evolution().refinements() + finalB.evolution().refinements())
                    .isEqualTo(THREADS * PER_THREAD);
            // 2 of 8 threads fail: success rate = (0.5 + successes) / executions for each pattern
            double successes = 6.0 * PER_THREAD;
            assertThat(finalA.metrics().successRate() * finalA.metrics().executionCount()
                    + finalB.metrics().successRate() * finalB.metrics().executionCount())
                    .isCloseTo(1 + successes, within(1e-6));
            MemoryQuery q = MemoryQuery.patterns().tags("http").build();
            assertThat(aml.query(q)).containsExactlyElementsOf(reference.query(q));
            assertThat(aml.query(q)).containsExactlyInAnyOrder(finalA, finalB);
            assertThat(aml.store().items(AgentId.of("coder"), ItemKind.PATTERN)).containsExactly(finalA, finalB);
        }
    }

    @Test
    void ofThreadsDeletingTheSameIdExactlyOneGetsTrue() throws Exception {
        try (MemoryManager aml = MemoryManager.builder().clock(new MutableClock(TestItems.NOW)).build()) {
            ItemMemory<Pattern, PatternDraft> patterns = aml.agent("coder").patterns();
            MemoryQuery q = MemoryQuery.patterns().activeOnly(false).build();
            for (int round = 0; round < 50; round++) {
                String id = patterns.record(PatternDraft.of("p" + round, Map.of())).id();
                assertThat(aml.query(q)).hasSize(1); // cached before the deletes
                List<Boolean> removed = Together.run(THREADS, () -> patterns.delete(id));
                assertThat(removed).as("round %d: deleters that got true", round).containsOnlyOnce(true);
                assertThat(patterns.get(id)).isEmpty();
                assertThat(aml.query(q)).as("the cache saw the delete").isEmpty();
            }
        }
    }
}
