package dev.aml.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Rank;
import dev.aml.maintenance.MemoryManager;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache hit path of {@code manager.query(q)} — clock read, sampling draw, front-table slot,
 * version and time check — against the baseline of a plain {@link ConcurrentHashMap} lookup of the
 * same query objects, with 1 and 2 threads. 64 distinct queries, all cached before measuring, drawn
 * Zipf-skewed per call (so both sides see the same key mix). The clock is fixed: with a real clock a
 * weight-ranked entry is recomputed once per second.
 *
 * <p>Two references: {@code caffeineQuiet}, a bare Caffeine cache of the same bound read with
 * {@code policy().getIfPresentQuietly} (what a hit would cost if it went to Caffeine, as it does when
 * the front table misses), and {@code cacheHitSystemClock}, the same hit path with
 * {@code Clock.systemUTC()}, so the table shows what reading a real clock adds in production, and
 * {@code cacheHitSystemClockByUsage}, the same queries ranked by usage, whose hits need no clock.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheBenchmark {

    /** The shared manager, map and query mix. */
    @State(Scope.Benchmark)
    public static class Shared {
        MemoryManager manager;
        MemoryManager systemClockManager;
        ConcurrentHashMap<MemoryQuery, List<MemoryItem>> map = new ConcurrentHashMap<>();
        MemoryQuery[] mix = new MemoryQuery[4096];
        /** The same mix ranked by usage, a rank that does not depend on the time. */
        MemoryQuery[] usageMix = new MemoryQuery[4096];
        Cache<MemoryQuery, List<MemoryItem>> caffeine = Caffeine.newBuilder()
                .maximumSize(MemoryManager.DEFAULT_CACHE_SIZE).build();
        Policy<MemoryQuery, List<MemoryItem>> quiet = caffeine.policy();

        @Setup(Level.Trial)
        public void setUp() {
            MemoryStore store = MemoryStore.inMemory();
            MemoryFixtures.fill(store, 10_000, 42);
            manager = MemoryManager.builder().store(store).clock(Clock.fixed(MemoryFixtures.NOW, ZoneOffset.UTC))
                    .build();
            MemoryStore same = MemoryStore.inMemory(); // its own store: closing a manager closes its store
            MemoryFixtures.fill(same, 10_000, 42);
            systemClockManager = MemoryManager.builder().store(same).clock(Clock.systemUTC()).build();
            MemoryQuery[] distinct = MemoryFixtures.commonQueries(64, 11);
            MemoryQuery[] byUsage = new MemoryQuery[distinct.length];
            for (int i = 0; i < distinct.length; i++) {
                byUsage[i] = distinct[i].toBuilder().rankBy(Rank.USAGE).build();
                systemClockManager.query(byUsage[i]);
            }
            for (MemoryQuery q : distinct) {
                systemClockManager.query(q);
                map.put(q, manager.query(q));
                caffeine.put(q, manager.query(q));
            }
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < mix.length; i++) {
                int k = MemoryFixtures.zipf(rnd, distinct.length);
                mix[i] = distinct[k];
                usageMix[i] = byUsage[k];
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            systemClockManager.close();
            manager.close();
        }
    }

    /** Each thread walks the mix from its own position. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        MemoryQuery next(Shared s) {
            return s.mix[next++ & (s.mix.length - 1)];
        }

        MemoryQuery nextByUsage(Shared s) {
            return s.usageMix[next++ & (s.usageMix.length - 1)];
        }
    }

    /** @return a cached result, one thread */
    @Benchmark
    @Threads(1)
    public List<MemoryItem> cacheHit1(Shared s, Cursor c) {
        return s.manager.query(c.next(s));
    }

    /** @return the baseline: a map lookup of the same key, one thread */
    @Benchmark
    @Threads(1)
    public List<MemoryItem> mapLookup1(Shared s, Cursor c) {
        return s.map.get(c.next(s));
    }

    /** @return a cached result, two threads */
    @Benchmark
    @Threads(2)
    public List<MemoryItem> cacheHit2(Shared s, Cursor c) {
        return s.manager.query(c.next(s));
    }

    /** @return the baseline: a map lookup of the same key, two threads */
    @Benchmark
    @Threads(2)
    public List<MemoryItem> mapLookup2(Shared s, Cursor c) {
        return s.map.get(c.next(s));
    }

    /** @return a cached result read with the system clock (weight-ranked ones recomputed each second), one thread */
    @Benchmark
    @Threads(1)
    public List<MemoryItem> cacheHitSystemClock1(Shared s, Cursor c) {
        return s.systemClockManager.query(c.next(s));
    }

    /**
     * @return a cached result ranked by usage, read with the system clock, one thread: the clock is
     *     not read on a hit for a rank that does not depend on the time
     */
    @Benchmark
    @Threads(1)
    public List<MemoryItem> cacheHitSystemClockByUsage1(Shared s, Cursor c) {
        return s.systemClockManager.query(c.nextByUsage(s));
    }

    /** @return a bare Caffeine cache's quiet lookup of the same key, one thread */
    @Benchmark
    @Threads(1)
    public List<MemoryItem> caffeineQuiet1(Shared s, Cursor c) {
        return s.quiet.getIfPresentQuietly(c.next(s));
    }

    /** @return a bare Caffeine cache's quiet lookup of the same key, two threads */
    @Benchmark
    @Threads(2)
    public List<MemoryItem> caffeineQuiet2(Shared s, Cursor c) {
        return s.quiet.getIfPresentQuietly(c.next(s));
    }
}
