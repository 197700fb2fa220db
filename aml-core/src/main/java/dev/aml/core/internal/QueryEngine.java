package dev.aml.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.QueryIndex;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query path: an index that follows the store, a Caffeine cache in front of it, and the
 * counters monitoring reads. Hits and misses are counted here, not by Caffeine: an entry Caffeine
 * finds but whose versions are outdated is a miss.
 *
 * <h2>Why the cache never serves a stale result</h2>
 * The engine keeps its own version per agent, bumped by the store's change listener only
 * <em>after</em> the index has absorbed the change. A query reads the versions of the agents it
 * covers (or a global version for the global view) <em>before</em> it looks anything up. The
 * cache maps the normalized query to its result <em>and</em> the versions it was computed at, and a
 * lookup serves the entry only if those equal the versions it just read. So an entry computed from
 * the index before a write carries an older version than any lookup made after the write returned,
 * and is never served to it; at worst a result computed from newer data is stored with an older
 * version, and is then recomputed once. A recomputed result overwrites the entry in place.
 * Writes are acknowledged only after listeners ran, so "after the write returned" is exactly what a
 * caller observes.
 *
 * <h2>Counters</h2>
 * Every query is counted. The first {@value #TIME_EVERY_QUERY_UNTIL} are timed, then one in
 * {@value #LATENCY_SAMPLE_EVERY}, chosen at random, is timed into a
 * {@link LatencyRecorder}, which keeps the hit path close to the cost of the cache lookup itself.
 *
 * <h2>Time</h2>
 * Weights decay with time, so the ranking time is the clock's current second, and time-dependent
 * queries ({@code Rank.WEIGHT}) carry that second in their entry and are recomputed in the next second. A query's result is therefore a pure
 * function of (data, query, second), whether it came from the cache or not.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    /**
     * One query in this many (at random) is timed: two clock reads cost about as much as a cache hit,
     * and a uniform sample gives unbiased mean and percentile estimates.
     */
    static final int LATENCY_SAMPLE_EVERY = 8;
    /** Queries timed one by one before sampling starts, so short runs (a demo, a CLI call) are exact. */
    static final int TIME_EVERY_QUERY_UNTIL = 512;

    /** Granularity of the ranking time, in milliseconds. */
    public static final long RANKING_RESOLUTION_MILLIS = 1_000;

    private final MemoryStore store;
    private final IndexStrategy strategy;
    private final QueryIndex index;
    private final boolean builtIn;
    private final @Nullable Cache<MemoryQuery, Entry> cache;
    private final ConcurrentHashMap<AgentId, AtomicLong> versions = new ConcurrentHashMap<>();
    private final AtomicLong globalVersion = new AtomicLong();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private volatile boolean indexNeedsRebuild;
    private volatile boolean enoughSamples;

    /**
     * Creates the index, registers it for the store's changes and loads it.
     *
     * @param store the store
     * @param strategy the index strategy
     * @param cacheSize the most cached results; 0 disables the cache
     * @param executor runs the cache's maintenance
     */
    public QueryEngine(MemoryStore store, IndexStrategy strategy, long cacheSize, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.builtIn = strategy == IndexStrategy.defaultIndex() || strategy == IndexStrategy.scan();
        this.index = Objects.requireNonNull(strategy.create(store),
                () -> "index strategy '" + strategy.name() + "' created no index");
        this.cache = cacheSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(cacheSize).executor(executor)
                        .<MemoryQuery, Entry>evictionListener((q, e, cause) -> evictions.increment()).build();
        store.addChangeListener(this::onChanges);
        index.rebuild();
    }

    private void onChanges(List<Change> changes) {
        try {
            index.changed(changes);
        } catch (RuntimeException e) {
            // a listener must not throw into the store's writer; rebuild before the next query instead
            indexNeedsRebuild = true;
            LOG.warn("Index strategy '{}' failed to apply {} change(s); it will be rebuilt before the next query",
                    strategy.name(), changes.size(), e);
        }
        for (Change c : changes) {
            versions.computeIfAbsent(c.agent(), a -> new AtomicLong()).incrementAndGet();
        }
        globalVersion.incrementAndGet();
    }

    /**
     * @param query the query
     * @param nowMillis the clock's time in epoch milliseconds
     * @return the results, immutable
     */
    public List<MemoryItem> query(MemoryQuery query, long nowMillis) {
        queries.increment();
        if (enoughSamples && (ThreadLocalRandom.current().nextInt() & (LATENCY_SAMPLE_EVERY - 1)) != 0) {
            return answer(query, nowMillis);
        }
        long start = System.nanoTime();
        try {
            return answer(query, nowMillis);
        } finally {
            latency.record(System.nanoTime() - start);
            if (!enoughSamples && latency.count() >= TIME_EVERY_QUERY_UNTIL) {
                enoughSamples = true;
            }
        }
    }

    private List<MemoryItem> answer(MemoryQuery query, long nowMillis) {
        long second = Math.floorDiv(nowMillis, RANKING_RESOLUTION_MILLIS);
        if (cache == null) {
            misses.increment();
            return compute(query, second);
        }
        long stamp = stamp(query.agents());
        long validFor = query.rank().timeDependent() ? second : 0;
        Entry hit = cache.getIfPresent(query);
        if (hit != null && hit.stamp == stamp && hit.second == validFor) {
            return hit.result;
        }
        misses.increment();
        List<MemoryItem> result = compute(query, second);
        cache.put(query, new Entry(stamp, validFor, result));
        return result;
    }

    private long stamp(Set<AgentId> agents) {
        if (agents.isEmpty()) {
            return globalVersion.get();
        }
        long sum = 0;
        for (AgentId a : agents) {
            AtomicLong v = versions.get(a);
            if (v != null) {
                sum += v.get();
            }
        }
        return sum;
    }

    private List<MemoryItem> compute(MemoryQuery query, long second) {
        if (indexNeedsRebuild) {
            rebuildIndex();
        }
        Instant rankingTime = Instant.ofEpochMilli(second * RANKING_RESOLUTION_MILLIS);
        List<MemoryItem> result;
        try {
            result = index.query(query, rankingTime);
        } catch (AmlException e) {
            throw e;
        } catch (RuntimeException e) {
            if (builtIn) {
                throw e;
            }
            throw new AmlException("Index strategy '" + strategy.name() + "' failed on " + query
                    + "; use IndexStrategy.scan() or fix the strategy", e);
        }
        if (builtIn) {
            return result;
        }
        if (result == null || result.size() > query.limit()) {
            throw new AmlException("Index strategy '" + strategy.name() + "' returned "
                    + (result == null ? "null" : result.size() + " results for limit " + query.limit())
                    + "; use IndexStrategy.scan() or fix the strategy");
        }
        return List.copyOf(result);
    }

    /** Reads the whole store into the index again and empties the cache. */
    public synchronized void rebuildIndex() {
        indexNeedsRebuild = false;
        index.rebuild();
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    /** @return the index strategy */
    public IndexStrategy strategy() {
        return strategy;
    }

    /** @return queries answered since creation */
    public long queries() {
        return queries.sum();
    }

    /** @return mean query latency in nanoseconds, estimated from a uniform sample of queries */
    public double meanLatencyNanos() {
        return latency.meanNanos();
    }

    /** @return upper estimate of the 95th percentile latency in nanoseconds, from the same sample */
    public long p95LatencyNanos() {
        return latency.percentileNanos(0.95);
    }

    /** @return queries answered from the cache */
    public long cacheHits() {
        return Math.max(0, queries.sum() - misses.sum());
    }

    /** @return queries that had to be computed (all of them when the cache is off) */
    public long cacheMisses() {
        return misses.sum();
    }

    /** @return cached results evicted by the size bound */
    public long cacheEvictions() {
        return evictions.sum();
    }

    /** @return the approximate number of cached results */
    public long cacheSize() {
        return cache == null ? 0 : cache.estimatedSize();
    }

    /** A cached result with the agents' versions it was computed at and its ranking second (0 if timeless). */
    private record Entry(long stamp, long second, List<MemoryItem> result) {
    }
}
