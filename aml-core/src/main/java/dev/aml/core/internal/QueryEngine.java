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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
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
 * The query path: an index that follows the store, a Caffeine cache in front of it, a small
 * direct-mapped table in front of Caffeine, and the counters monitoring reads.
 *
 * <h2>Why the cache never serves a stale result</h2>
 * The engine keeps a version holder per agent (and one global holder), bumped by the store's change
 * listener only <em>after</em> the index has absorbed the change. On a miss, the engine takes the
 * holders the result depends on (each queried agent's, or the global one for the global view and
 * for an agent that has no holder yet: a write creating that agent bumps the global version), reads
 * their values <em>before</em> it computes, and stores them in the entry with the result. A hit is
 * served only if each of those holders still has the value read for it. So a write that the computation may have missed bumps
 * a holder after it was read, and the entry is outdated for every lookup made after the write
 * returned; at worst a result computed from newer data carries older values and is recomputed once.
 * Writes are acknowledged only after listeners ran, so "after the write returned" is exactly what a
 * caller observes. Every entry is checked this way wherever it is found (front table or Caffeine),
 * so where an entry is kept decides speed and memory, never correctness. Every agent the store holds
 * gets its own holder when the index is (re)built, so a query over an agent nobody wrote since is
 * not tied to the global version; a rebuild bumps every holder, which outdates every entry at once.
 *
 * <h2>The hit path, and what it costs</h2>
 * A hit is what agent frameworks call on every step, so it is kept to one
 * {@link ThreadLocalRandom} draw, one slot of the front table, the query comparison (identity first)
 * and the version check, with a clock read for weight-ranked results: no compare-and-swap, no shared
 * write, no allocation. Measured
 * choices (numbers and commands in {@code benchmarks/RESULTS.md}):
 * <ul>
 *   <li><b>A direct-mapped front table.</b> Caffeine owns the results: its size bound and W-TinyLFU
 *       decide what stays. The front table ({@value #MAX_FRONT_SLOTS} slots at most, one per
 *       Fibonacci hash of the query) remembers the last entry found or computed for each slot, so a
 *       repeated query skips Caffeine's two-level node lookup, which costs about 1.4 times a plain
 *       map lookup by itself. Two hot queries that share a slot take turns and fall back to
 *       Caffeine's quiet read ({@link Policy#getIfPresentQuietly}), which is the whole hit path when
 *       the front table misses. Caffeine's eviction listener clears the slot of an evicted entry; an
 *       entry put into a slot just after its eviction stays there until the slot is reused, and an
 *       outdated or replaced entry stays until its slot is reused, so at most
 *       {@value #MAX_FRONT_SLOTS} results (each at most a query's limit of items) outlive their
 *       place in Caffeine; they are still checked before they are served.</li>
 *   <li><b>One in {@value #RECORD_READ_EVERY} queries sampled, at random.</b> The draw picks the
 *       queries that are recorded with Caffeine (a {@code getIfPresent}), counted as hits, and, one
 *       in {@value #TIME_EVERY_SAMPLED} of those (other random bits), timed. At random, not every
 *       n-th query, so that a caller cycling through n queries does not hide all but one of them.
 *       W-TinyLFU's frequency sketch therefore sees every miss (Caffeine counts each put as a use)
 *       but only one hit in {@value #RECORD_READ_EVERY}, so frequencies are not kept in proportion:
 *       a query hit often counts less, next to one that misses often, than with every read
 *       recorded. Measured on a Zipf-skewed mix of 2,000 queries (caches of 50 and 200 results,
 *       weight and usage ranks, the clock moving 1 ms per query so weight-ranked results are
 *       recomputed every second), the hit rate was the same as with every read recorded, within the
 *       run-to-run spread of about 0.03 ({@code benchmarks/RESULTS.md}); {@code QueryEngineCacheTest}
 *       shows the bound holds and hot queries stay while cold ones come and go (with no read
 *       recorded they are pushed out).</li>
 *   <li><b>Hits are estimated, misses are exact.</b> Counting every hit exactly needs a shared atomic
 *       write per query (a {@code LongAdder}'s compare-and-swap), which alone cost a third of the hit
 *       path; a thread-local counter costs more than that in lookups. So each sampled hit counts
 *       {@value #RECORD_READ_EVERY}: an unbiased estimate whose relative error is about
 *       {@code sqrt(64 / hits)} (under 1 % after a million hits). Misses cost far more than a
 *       counter and are counted one by one. The first {@value #EXACT_UNTIL} queries are all sampled
 *       (counted and timed one by one), so short runs (a demo, a CLI call, a test) are exact.</li>
 *   <li><b>Small methods, one rare branch.</b> {@link #query} holds the draw, the front table and the
 *       check; everything else is in methods too big to inline into it, and
 *       {@code MemoryQuery.equals} compares field by field in a separate method, so the JIT keeps the
 *       hit path whole (seen with {@code -XX:+PrintInlining}).</li>
 * </ul>
 * {@code MemoryQuery} caches its hash code, which helps the plain-map baseline of the benchmark just
 * as much.
 *
 * <h2>Time</h2>
 * Weights decay with time, so the ranking time is the clock's current second, and time-dependent
 * queries ({@code Rank.WEIGHT}) carry that second in their entry (as a range of milliseconds) and are
 * recomputed in the next second. A query's result is therefore a pure function of (data, query,
 * second), whether it came from a cache or not. A hit reads the clock only for such a result: a
 * system clock read costs about 20 ns on a VM, twice the rest of the hit, and the other ranks do not
 * depend on the time.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    /**
     * One query in this many, at random, is sampled: recorded with Caffeine, counted as a hit with
     * this weight if it is one, and possibly timed.
     */
    static final int RECORD_READ_EVERY = 64;
    /**
     * Of the sampled queries, one in this many (other random bits) is also timed, so one query in 256
     * is: a uniform sample, so mean and percentiles are unbiased.
     */
    static final int TIME_EVERY_SAMPLED = 4;
    private static final int TIME_MASK = (TIME_EVERY_SAMPLED - 1) * RECORD_READ_EVERY;
    /** Queries counted and timed one by one before sampling starts. */
    static final int EXACT_UNTIL = 512;
    /** The most slots of the front table (fewer when the cache is smaller). */
    static final int MAX_FRONT_SLOTS = 4096;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);

    /** Granularity of the ranking time, in milliseconds. */
    public static final long RANKING_RESOLUTION_MILLIS = 1_000;

    private final MemoryStore store;
    private final Clock clock;
    private final IndexStrategy strategy;
    private final QueryIndex index;
    private final boolean builtIn;
    private final @Nullable Cache<MemoryQuery, Entry> cache;
    private final @Nullable Policy<MemoryQuery, Entry> policy;
    /** The front table, null when the cache is off; its length is {@code 1 << (32 - frontShift)}. */
    private final Entry @Nullable [] front;
    private final int frontShift;
    private final ConcurrentHashMap<AgentId, AtomicLong> versions = new ConcurrentHashMap<>();
    private final AtomicLong globalVersion = new AtomicLong();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LongAdder misses = new LongAdder();
    /** Sampled hits, each weighted by the sampling rate it was drawn with. */
    private final LongAdder hits = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    /**
     * Index updates that failed so far; the index is behind the store while this exceeds {@link #rebuiltThrough}.
     * Starts at 1: the index is first built by the first query (or {@link #rebuildIndex}), so opening a
     * manager for a prune, a backup or a health check does not pay for an index nobody queries.
     */
    private final AtomicLong failedUpdates = new AtomicLong(1);
    /** Whether the index was built once; until then changes are not applied to it, only counted. */
    private volatile boolean built;
    /** The value of {@link #failedUpdates} read before the last rebuild started. */
    private volatile long rebuiltThrough;
    /** 0 while every query is sampled, then {@code RECORD_READ_EVERY - 1}. */
    private volatile int sampleMask;

    /**
     * Creates the index and registers it for the store's changes; the first query loads it.
     *
     * @param store the store
     * @param strategy the index strategy
     * @param cacheSize the most cached results; 0 disables the cache
     * @param executor runs the cache's maintenance
     * @param clock gives the ranking time; read on a hit only for results that depend on it
     */
    public QueryEngine(MemoryStore store, IndexStrategy strategy, long cacheSize, Executor executor, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.builtIn = strategy == IndexStrategy.defaultIndex() || strategy == IndexStrategy.scan();
        this.index = Objects.requireNonNull(strategy.create(store),
                () -> "index strategy '" + strategy.name() + "' created no index");
        int slots = Math.max(2, Integer.highestOneBit((int) Math.min(cacheSize, MAX_FRONT_SLOTS) * 2 - 1));
        this.frontShift = Integer.numberOfLeadingZeros(slots) + 1;
        this.front = cacheSize == 0 ? null : new Entry[slots];
        this.cache = cacheSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(cacheSize).executor(executor)
                        .<MemoryQuery, Entry>evictionListener((q, e, cause) -> evicted(e)).build();
        this.policy = cache == null ? null : cache.policy();
        store.addChangeListener(this::onChanges);
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
        if (!built) {
            failedUpdates.incrementAndGet(); // the first query builds the index from the store
        } else {
            applyToIndex(changes);
        }
        for (Change c : changes) {
            versions.computeIfAbsent(c.agent(), a -> new AtomicLong()).incrementAndGet();
        }
        globalVersion.incrementAndGet();
    }

    private void applyToIndex(List<Change> changes) {
        try {
            index.changed(changes);
        } catch (RuntimeException e) {
            // a listener must not throw into the store's writer; rebuild before the next query instead
            failedUpdates.incrementAndGet(); // before the versions below are bumped
            LOG.warn("Index strategy '{}' failed to apply {} change(s); it will be rebuilt before the next query",
                    strategy.name(), changes.size(), e);
        }
    }

    /**
     * @param query the query
     * @return the results, immutable
     */
    public List<MemoryItem> query(MemoryQuery query) {
        int random = ThreadLocalRandom.current().nextInt();
        int mask = sampleMask;
        Entry[] f = front;
        if ((random & mask) != 0 && f != null) {
            Entry e = f[slot(query)];
            if (e != null && e.isFor(query) && e.isCurrent(clock)) {
                return e.result;
            }
        }
        return answerSlowly(query, random, mask);
    }

    /**
     * Everything but an unsampled hit in the front table: the sampled queries (one in
     * {@value #RECORD_READ_EVERY} at random, all of the first {@value #EXACT_UNTIL}), a front-table
     * miss, a Caffeine miss. A sampled query is answered like any other, timed for one in
     * {@value #TIME_EVERY_SAMPLED} of them (and all of the first {@value #EXACT_UNTIL}), and, if it
     * was a hit, counted with the weight of its draw and recorded with Caffeine for its eviction
     * policy.
     *
     * <p>One method on purpose, longer than C2's {@code FreqInlineSize} (325 bytes of bytecode): it is
     * never inlined into {@link #query}, so that method compiles small enough (under
     * {@code InlineSmallCode}) to be inlined into its callers. Split into small helpers, this path was
     * inlined into {@code query} and made it too big to inline (seen with {@code -XX:+PrintInlining}),
     * costing a call on every hit. It is only about 30 bytes over: {@code QueryEngineInliningTest}
     * fails if a change makes it short enough to be inlined.
     */
    private List<MemoryItem> answerSlowly(MemoryQuery query, int random, int mask) {
        boolean sampled = (random & mask) == 0;
        int weight = mask + 1;
        boolean timed = sampled && (weight == 1 || (random & TIME_MASK) == 0);
        long start = timed ? System.nanoTime() : 0;
        long nowMillis = clock.millis(); // timed too: a caller waits for it
        Entry hit = null;
        try {
            Entry[] f = front;
            Policy<MemoryQuery, Entry> p = policy;
            if (f != null && p != null) {
                int slot = slot(query);
                Entry e = f[slot];
                if (e != null && e.isFor(query) && e.isCurrent(nowMillis)) {
                    hit = e;
                } else {
                    e = p.getIfPresentQuietly(query); // no read buffer, no drain
                    if (e != null && e.isCurrent(nowMillis)) {
                        f[slot] = e; // a plain store is enough: see remember(..)
                        hit = e;
                    }
                }
            }
            if (hit == null) {
                return miss(query, nowMillis);
            }
        } finally {
            if (timed) {
                latency.record(System.nanoTime() - start);
                if (weight == 1 && latency.count() >= EXACT_UNTIL) {
                    sampleMask = RECORD_READ_EVERY - 1;
                }
            }
        }
        if (sampled) {
            hits.add(weight);
            Objects.requireNonNull(cache).getIfPresent(query); // recorded: W-TinyLFU sees this read
        }
        return hit.result;
    }

    /** Computes the result, and caches it with the versions read before computing. */
    private List<MemoryItem> miss(MemoryQuery query, long nowMillis) {
        misses.increment();
        long second = Math.floorDiv(nowMillis, RANKING_RESOLUTION_MILLIS);
        Cache<MemoryQuery, Entry> c = cache;
        if (c == null) {
            return compute(query, second);
        }
        if (failedUpdates.get() != rebuiltThrough) {
            rebuildIfBehind(); // before the stamps: a rebuild bumps every version (the first builds the index)
        }
        AtomicLong[] holders = holders(query.agents());
        long[] stamps = new long[holders.length];
        for (int i = 0; i < holders.length; i++) {
            stamps[i] = holders[i].get(); // read before computing: a later write makes the entry outdated
        }
        List<MemoryItem> result = compute(query, second);
        boolean timeless = !query.rank().timeDependent();
        boolean one = holders.length == 1;
        Entry e = new Entry(query, holders[0], stamps[0],
                one ? null : Arrays.copyOfRange(holders, 1, holders.length),
                one ? null : Arrays.copyOfRange(stamps, 1, stamps.length),
                timeless ? Long.MIN_VALUE : second * RANKING_RESOLUTION_MILLIS,
                timeless ? Long.MAX_VALUE : second * RANKING_RESOLUTION_MILLIS + RANKING_RESOLUTION_MILLIS, result);
        remember(e); // before the put: if the put evicts it at once, the listener finds it in its slot
        c.put(query, e);
        return result;
    }

    /** The slot of a query: Fibonacci hashing spreads {@code Objects.hash}'s low-entropy bits. */
    private int slot(MemoryQuery query) {
        return (query.hashCode() * 0x9E3779B9) >>> frontShift;
    }

    /**
     * Puts an entry in its slot. A plain store: the entry's fields are final, so any thread that reads
     * the reference sees them whole, and a thread that still reads the slot's previous entry checks
     * that one as usual.
     */
    private void remember(Entry e) {
        Entry[] f = front;
        if (f != null) {
            f[slot(e.query)] = e;
        }
    }

    /** Counts an eviction and clears the entry's slot if it still holds it. */
    private void evicted(@Nullable Entry e) {
        evictions.increment();
        Entry[] f = front;
        if (e != null && f != null) {
            SLOT.compareAndSet(f, slot(e.query), e, null);
        }
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

    private List<MemoryItem> compute(MemoryQuery query, long second) {
        if (failedUpdates.get() != rebuiltThrough) {
            rebuildIfBehind();
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

    /**
     * Reads the whole store into the index again and outdates every cached result: every version
     * holder is bumped (so no entry, wherever it is kept, passes its check again, including one a
     * query computed from the old index while this ran), then the cache and the front table are
     * emptied to free their memory.
     */
    public synchronized void rebuildIndex() {
        // read before rebuilding: a change whose index update failed before this point is in the store
        // the rebuild reads; one that fails later asks for another rebuild
        long failed = failedUpdates.get();
        built = true; // changes from here on go to the index; one that came since the read above rebuilds again
        index.rebuild();
        holdVersionsOfStoredAgents();
        versions.values().forEach(AtomicLong::incrementAndGet);
        globalVersion.incrementAndGet();
        rebuiltThrough = failed;
        if (cache != null) {
            cache.invalidateAll();
        }
        if (front != null) {
            Arrays.fill(front, null);
        }
    }

    /**
     * Rebuilds the index if an update failed since the last rebuild. Queries that find the index
     * behind wait here, so none computes from an index that missed a write which already returned
     * (its versions were bumped, so cached entries were outdated already).
     */
    private synchronized void rebuildIfBehind() {
        if (failedUpdates.get() != rebuiltThrough) {
            rebuildIndex();
        }
    }

    /** @return how many slots of the front table hold an entry (for tests) */
    int frontEntries() {
        return front == null ? 0 : (int) Arrays.stream(front).filter(Objects::nonNull).count();
    }

    /**
     * @return true if every entry in the front table is the one Caffeine holds for its query (for
     *     single-threaded tests: with concurrent queries an entry read just before its eviction may
     *     be put back into its slot)
     */
    boolean frontHoldsOnlyCachedEntries() {
        if (front == null || policy == null) {
            return true;
        }
        for (Entry e : front) {
            if (e != null && policy.getIfPresentQuietly(e.query()) != e) {
                return false;
            }
        }
        return true;
    }

    /** @return the index strategy */
    public IndexStrategy strategy() {
        return strategy;
    }

    /** @return mean query latency in nanoseconds, estimated from a uniform sample of queries */
    public double meanLatencyNanos() {
        return latency.meanNanos();
    }

    /** @return upper estimate of the 95th percentile latency in nanoseconds, from the same sample */
    public long p95LatencyNanos() {
        return latency.percentileNanos(0.95);
    }

    /**
     * @return queries answered from the cache: exact for the first {@value #EXACT_UNTIL} queries,
     *     then estimated from a uniform one-in-{@value #RECORD_READ_EVERY} sample (unbiased; relative
     *     error about {@code sqrt(64 / hits)})
     */
    public long cacheHits() {
        return hits.sum();
    }

    /** @return queries that had to be computed (all of them when the cache is off), exact */
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
     * A cached result with its query, the version holders it depends on with their values read before
     * it was computed (the first holder as fields: most queries name one agent or none, so a hit
     * checks two fields and one holder), and the milliseconds it is valid for (its ranking second, or
     * all time).
     */
    private record Entry(MemoryQuery query, AtomicLong holder, long stamp, AtomicLong @Nullable [] more,
            long @Nullable [] moreStamps, long from, long until, List<MemoryItem> result) {

        /**
         * @return true if this entry is for that query; identity first, as {@code ConcurrentHashMap}
         *     does: {@code MemoryQuery.equals} is often compiled too big to inline, and repeated
         *     queries are mostly the same object
         */
        boolean isFor(MemoryQuery q) {
            return query == q || query.equals(q);
        }

        /**
         * @return true if the result is current at the clock's time, which is read only if the result
         *     depends on it (a system clock read costs more than the rest of a hit)
         */
        boolean isCurrent(Clock clock) {
            return (until == Long.MAX_VALUE || isWithin(clock.millis())) && versionsUnchanged();
        }

        /** @return true if the result is current at that time */
        boolean isCurrent(long now) {
            return isWithin(now) && versionsUnchanged();
        }

        private boolean isWithin(long now) {
            return now >= from && now < until;
        }

        /**
         * Each holder is compared with its own value: a check on a sum could let a newer value of one
         * holder cancel an older value read from another, since entries are published without
         * ordering (plain stores into the front table).
         */
        private boolean versionsUnchanged() {
            if (holder.get() != stamp) {
                return false;
            }
            AtomicLong[] others = more;
            long[] otherStamps = moreStamps;
            if (others != null && otherStamps != null) {
                for (int i = 0; i < others.length; i++) {
                    if (others[i].get() != otherStamps[i]) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
