package dev.aml.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.QueryIndex;
import java.time.Instant;
import java.util.Arrays;
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
 * The engine keeps a version holder per agent (and one global holder), bumped by the store's change
 * listener only <em>after</em> the index has absorbed the change. On a miss, the engine takes the
 * holders the result depends on (each queried agent's, or the global one for the global view and
 * for an agent that has no holder yet: a write creating that agent bumps the global version), reads
 * their values <em>before</em> it computes, and stores them in the entry with the result. A hit is
 * served only if the same holders still have the same values (their sum: versions only grow, so the
 * sum is unchanged exactly when none changed). So a write that the computation may have missed bumps
 * a holder after it was read, and the entry is outdated for every lookup made after the write
 * returned; at worst a result computed from newer data carries older values and is recomputed once.
 * Writes are acknowledged only after listeners ran, so "after the write returned" is exactly what a
 * caller observes. Holding the holders in the entry (the first one as a field) means a hit checks the
 * versions with a few loads and no map lookup per agent. Every agent the store holds gets its own holder when the index is
 * (re)built, so a query over an agent nobody wrote since is not tied to the global version.
 *
 * <h2>The hit path, and what it costs</h2>
 * A hit is what agent frameworks call on every step, so it is kept to: one {@link LongAdder}
 * increment, one {@link ThreadLocalRandom} draw, a quiet Caffeine lookup
 * ({@link Policy#getIfPresentQuietly}: a {@code ConcurrentHashMap} get with no side effects) and the
 * version check; one query in {@value #RECORD_READ_EVERY}, chosen by the random draw, takes the
 * sampled path instead. Measured choices (numbers and commands in {@code benchmarks/RESULTS.md}):
 * <ul>
 *   <li><b>Quiet reads, one in 16 recorded.</b> {@code Cache.getIfPresent} appends every hit to a
 *       striped read buffer (a compare-and-swap) and, each time a buffer fills, schedules a drain on
 *       the executor. Here 15 hits in 16 read quietly, and one in 16, chosen by independent random
 *       bits, goes through {@code getIfPresent}, so W-TinyLFU still sees a uniform sample of the
 *       reads: relative frequencies, which are all its admission and eviction compare, are kept in
 *       expectation, and the sketch ages by the same rule. {@code QueryEngineCacheTest} shows the
 *       size bound holds and hot queries stay cached while cold ones asked several times come and go
 *       (without any recorded read they are pushed out). A random choice, not every 16th query, so
 *       that a caller cycling through 16 queries does not hide 15 of them from the sketch.</li>
 *   <li><b>Latency sampled one in {@value #LATENCY_SAMPLE_EVERY}.</b> Timing a query costs two clock
 *       reads and three adder increments, more than the hit itself; the first
 *       {@value #TIME_EVERY_QUERY_UNTIL} queries are all timed, so short runs are exact, and after
 *       that one in {@value #TIME_EVERY_SAMPLED} sampled queries (other random bits) is timed: a
 *       uniform sample, independent of hit or miss, so mean and percentiles are unbiased.</li>
 *   <li><b>Exact counts with a {@code LongAdder}.</b> A per-thread counter (a thread-local cell
 *       written with a plain store) was measured slower than the adder's uncontended CAS, because of
 *       the thread-local lookup, so queries are counted with the adder and misses with another;
 *       hits are their difference, exact.</li>
 *   <li><b>One rare branch, small methods.</b> The hit path ({@code query}) has a single branch to
 *       the sampled path (recorded, timed) and keeps the miss path apart, and
 *       {@code MemoryQuery.equals} compares field by field in a separate method: with two inlined
 *       lookups and the full comparison the JIT ran out of its inlining budget and left the version
 *       check and Caffeine's node access as calls (seen with {@code -XX:+PrintInlining}).</li>
 * </ul>
 * What remains is measured: a quiet Caffeine lookup alone costs about 1.4 times a plain map lookup;
 * the exact query count (one uncontended compare-and-swap), the random draw, the version check and the
 * manager's clock read make up the rest. Dropping any of them would make the counts inexact or risk a
 * stale result, so the hit path stays above the 3x-the-map target of issue 5 (about 4.4x on this
 * machine).
 * {@code MemoryQuery} caches its hash code, which helps the plain-map baseline of the benchmark just as
 * much.
 *
 * <h2>Time</h2>
 * Weights decay with time, so the ranking time is the clock's current second, and time-dependent
 * queries ({@code Rank.WEIGHT}) carry that second in their entry and are recomputed in the next
 * second. A query's result is therefore a pure function of (data, query, second), whether it came
 * from the cache or not.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    /** One query in this many (at random) is looked up with {@code getIfPresent}, which Caffeine records. */
    static final int RECORD_READ_EVERY = 16;
    /** Of those, one in this many (other random bits) is also timed. */
    static final int TIME_EVERY_SAMPLED = 4;
    /**
     * So one query in this many is timed: two clock reads and three adder increments cost more than a
     * cache hit, and a uniform sample gives unbiased mean and percentile estimates.
     */
    static final int LATENCY_SAMPLE_EVERY = RECORD_READ_EVERY * TIME_EVERY_SAMPLED;
    private static final int TIME_MASK = (TIME_EVERY_SAMPLED - 1) * RECORD_READ_EVERY;
    /** Queries timed one by one before sampling starts, so short runs (a demo, a CLI call) are exact. */
    static final int TIME_EVERY_QUERY_UNTIL = 512;

    /** Granularity of the ranking time, in milliseconds. */
    public static final long RANKING_RESOLUTION_MILLIS = 1_000;

    private final MemoryStore store;
    private final IndexStrategy strategy;
    private final QueryIndex index;
    private final boolean builtIn;
    private final @Nullable Cache<MemoryQuery, Entry> cache;
    private final @Nullable Policy<MemoryQuery, Entry> policy;
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
        this.policy = cache == null ? null : cache.policy();
        store.addChangeListener(this::onChanges);
        index.rebuild();
        holdVersionsOfStoredAgents();
    }

    /**
     * Gives every agent the store holds a version holder of its own, so a query over an agent that was
     * not written since the engine opened is not tied to the global version.
     */
    private void holdVersionsOfStoredAgents() {
        for (AgentId a : store.agents()) {
            versions.computeIfAbsent(a, k -> new AtomicLong());
        }
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
        int random = ThreadLocalRandom.current().nextInt();
        if (!enoughSamples || (random & (RECORD_READ_EVERY - 1)) == 0) {
            return sampled(query, nowMillis, random);
        }
        Policy<MemoryQuery, Entry> p = policy;
        if (p != null) {
            Entry hit = p.getIfPresentQuietly(query); // no side effects: no read buffer, no drain
            if (hit != null && hit.isCurrent(validFor(query, nowMillis))) {
                return hit.result;
            }
        }
        return lookUpOrCompute(query, nowMillis, false);
    }

    /**
     * One query in {@value #RECORD_READ_EVERY}, and every query until {@value #TIME_EVERY_QUERY_UNTIL}
     * were timed: a lookup Caffeine records for its eviction policy, timed for one in
     * {@value #TIME_EVERY_SAMPLED} of them (other random bits), so one query in
     * {@value #LATENCY_SAMPLE_EVERY} overall, hit or miss alike.
     */
    private List<MemoryItem> sampled(MemoryQuery query, long nowMillis, int random) {
        if (enoughSamples && (random & TIME_MASK) != 0) {
            return lookUpOrCompute(query, nowMillis, true);
        }
        long start = System.nanoTime();
        try {
            return lookUpOrCompute(query, nowMillis, true);
        } finally {
            latency.record(System.nanoTime() - start);
            if (!enoughSamples && latency.count() >= TIME_EVERY_QUERY_UNTIL) {
                enoughSamples = true;
            }
        }
    }

    /** The ranking second a result of this query depends on, 0 if it depends on none. */
    private static long validFor(MemoryQuery query, long nowMillis) {
        return query.rank().timeDependent() ? Math.floorDiv(nowMillis, RANKING_RESOLUTION_MILLIS) : 0;
    }

    private List<MemoryItem> lookUpOrCompute(MemoryQuery query, long nowMillis, boolean recordedLookup) {
        long second = Math.floorDiv(nowMillis, RANKING_RESOLUTION_MILLIS);
        Cache<MemoryQuery, Entry> c = cache;
        if (c == null) {
            misses.increment();
            return compute(query, second);
        }
        long validFor = validFor(query, nowMillis);
        if (recordedLookup) {
            Entry hit = c.getIfPresent(query); // Caffeine records this read for its eviction policy
            if (hit != null && hit.isCurrent(validFor)) {
                return hit.result;
            }
        }
        misses.increment();
        AtomicLong[] holders = holders(query.agents());
        long stamp = sum(holders); // read before computing: a later write makes the entry outdated
        List<MemoryItem> result = compute(query, second);
        c.put(query, new Entry(holders[0], holders.length == 1 ? null : Arrays.copyOfRange(holders, 1, holders.length),
                stamp, validFor, result));
        return result;
    }

    /**
     * @return the version holders a result over these agents depends on: each agent's own, or the
     *     global one for the global view and for an agent that has none yet (any write creating it
     *     bumps the global version)
     */
    private AtomicLong[] holders(Set<AgentId> agents) {
        if (agents.isEmpty()) {
            return new AtomicLong[] {globalVersion};
        }
        AtomicLong[] holders = new AtomicLong[agents.size()];
        int i = 0;
        for (AgentId a : agents) {
            AtomicLong v = versions.get(a);
            holders[i++] = v != null ? v : globalVersion;
        }
        return holders;
    }

    private static long sum(AtomicLong[] holders) {
        long sum = 0;
        for (AtomicLong v : holders) {
            sum += v.get();
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
        holdVersionsOfStoredAgents();
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

    /**
     * A cached result, the version holders it depends on with the sum of their values read before it
     * was computed, and its ranking second (0 if timeless).
     */
    private record Entry(AtomicLong holder, AtomicLong @Nullable [] more, long stamp, long second,
            List<MemoryItem> result) {
        /**
         * Versions only grow, so their sum is unchanged exactly when none of them changed. The first
         * holder is a field (most queries name one agent or none): one load less on a hit.
         */
        boolean isCurrent(long validFor) {
            return second == validFor && (more == null ? holder.get() : holder.get() + sum(more)) == stamp;
        }
    }
}
