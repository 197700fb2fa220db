package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryQuery;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStatsTest {

    @Test
    void countsQueriesHitsMissesAndLatency() {
        MutableClock clock = new MutableClock(TestItems.NOW);
        try (MemoryManager aml = MemoryManager.builder().clock(clock).executor(Runnable::run).build()) {
            assertThat(aml.queryStats()).isEqualTo(QueryStats.EMPTY);
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
            MemoryQuery q = MemoryQuery.patterns().tags("http").build();
            aml.query(q); // miss
            aml.query(q); // hit
            aml.query(q); // hit
            clock.advance(Duration.ofSeconds(1)); // weights moved on: a new ranking second
            aml.query(q); // miss
            aml.agent("coder").patterns().record(PatternDraft.of("poll", Map.of()).tags("http"));
            assertThat(aml.query(q)).hasSize(2); // miss: the write invalidated it
            QueryStats stats = aml.queryStats();
            assertThat(stats.queries()).isEqualTo(5);
            assertThat(stats.cacheHits()).isEqualTo(2);
            assertThat(stats.cacheMisses()).isEqualTo(3);
            assertThat(stats.cacheHitRate()).isEqualTo(0.4);
            assertThat(stats.avgQueryMillis()).as("the first queries are all timed").isPositive();
            for (int i = 0; i < 500; i++) { // still exact: counted and timed one by one
                aml.query(q);
            }
            stats = aml.queryStats();
            assertThat(stats.queries()).isEqualTo(505);
            assertThat(stats.cacheHits()).isEqualTo(502);
            CacheStats cache = aml.cacheStats();
            assertThat(cache.hitCount()).isEqualTo(502);
            assertThat(cache.missCount()).isEqualTo(3);
            for (int i = 0; i < 200_000; i++) { // then sampled: misses exact, hits and latency estimated
                aml.query(q);
            }
            stats = aml.queryStats();
            assertThat(stats.cacheMisses()).isEqualTo(3);
            // one hit in 64 counts 64: standard deviation sqrt(200,000 * 63), about 3,550
            assertThat(stats.cacheHits()).isBetween(200_502L - 20_000, 200_502L + 20_000);
            // the first 512 queries (3 misses, 509 hits) are counted one by one, then a sampled hit counts 64
            assertThat((stats.cacheHits() - 509) % 64).isZero();
            assertThat(stats.avgQueryMillis()).isPositive();
            assertThat(stats.p95QueryMillis()).isPositive();
            cache = aml.cacheStats();
            assertThat(cache.hitCount()).isEqualTo(stats.cacheHits());
            assertThat(cache.size()).as("one query: recomputations overwrite its entry").isEqualTo(1);
        }
    }

    @Test
    void withoutACacheEveryQueryIsAMiss() {
        try (MemoryManager aml = MemoryManager.builder().cacheSize(0).build()) {
            aml.query(MemoryQuery.patterns());
            aml.query(MemoryQuery.patterns());
            assertThat(aml.queryStats().cacheMisses()).isEqualTo(2);
            assertThat(aml.queryStats().cacheHitRate()).isZero();
            assertThat(aml.cacheStats().size()).isZero();
        }
    }

    @Test
    void theCacheIsBoundedBySize() {
        try (MemoryManager aml = MemoryManager.builder().cacheSize(10).executor(Runnable::run).build()) {
            for (int i = 1; i <= 200; i++) {
                aml.query(MemoryQuery.patterns().limit(i));
            }
            aml.store().flush();
            assertThat(aml.cacheStats().size()).isLessThanOrEqualTo(10);
            assertThat(aml.cacheStats().evictionCount()).isGreaterThanOrEqualTo(190);
        }
    }
}
