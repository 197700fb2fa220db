package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.QueryIndex;
import dev.aml.core.Rank;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The default index: answers "top k by weight" without looking at every item, and every other query
 * with one pass over the smallest candidate set, always with exactly the results of
 * {@link ScanIndex}.
 *
 * <h2>Why weight is hard to index</h2>
 * The weight of every kind has the form {@code w(now) = s + c·e^(−age(now)/τ)}: a static part
 * {@code s} (success rate, usage, confidence) that changes only when the item is written, plus a
 * recency term whose age is measured from the item's last use ({@link MemoryItem#lastUsed()}) and
 * which decays with τ = 30, 60 or 90 days by kind (c is 0.3 for every kind). A list pre-sorted by
 * weight goes stale by itself: as time passes, recency shrinks for everybody, but by different
 * amounts, so two items swap places without any write. Re-sorting on every query is a scan.
 *
 * <h2>What we keep</h2>
 * Per agent and kind a {@code Segment} holds each item once (the first occurrence of its id, as
 * {@link MemoryStore#find} sees it) in a {@code Ranked} structure, plus one {@code Ranked} per tag
 * (tag postings). A {@code Ranked} splits items into buckets by last use, in fixed absolute windows
 * of τ/4 (items with no known time go to a bucket of their own), and each bucket keeps its items
 * sorted by {@code s}, highest first. Nothing in it depends on the current time, so it never needs
 * re-sorting; a write moves one entry (O(log n)).
 *
 * <h2>How a top-k query by weight runs (a threshold algorithm)</h2>
 * At query time each bucket gets an upper bound of its recency term, {@code R = c_max·e^(−(now −
 * bucketEnd)/τ)}, using the bucket's newest possible time. An item's weight is at most
 * {@code s + R} of its bucket. A priority queue of bucket cursors, keyed by that bound of their next
 * item, yields items in decreasing bound order; each is filtered with {@link MemoryQuery#matches}
 * and, if it passes, its exact {@link MemoryItem#weight} goes into a bounded heap of the best
 * {@code offset + limit}. The search stops when the heap is full and the best remaining bound is
 * below the worst kept weight: nothing unseen can enter. Older buckets are admitted lazily, bounded
 * by the largest {@code s} of the structure, so a memory spanning years costs no more than one
 * spanning weeks. For the common query (one agent, one tag, a minimum success rate, top 10) the
 * search starts from the tag's postings and typically touches a few dozen entries.
 *
 * <h2>Why results equal the scan's exactly</h2>
 * Filtering and the final order use the same code as the scan ({@link MemoryQuery#matches},
 * {@link Ranking}), and exact weights are computed by the item itself; the index only decides which
 * items need not be looked at, and only when their bound is strictly below the k-th weight minus a
 * small epsilon that covers floating-point rounding, so ties are always examined and broken the same
 * way. {@code s} and {@code c} are not re-derived from the formula: {@code s} is the item's own weight
 * at a time where recency has vanished, and {@code c} its weight at its last use minus {@code s}. If
 * the weight formula ever stops having this shape, the property test against the scan fails.
 * Other ranks are time-independent; they are answered with one filtered pass over the smallest
 * candidate structure (tag postings when the query has tags) and the same bounded heap.
 *
 * <h2>Staying in sync</h2>
 * The index follows the store through {@link #changed}: stores may deliver the changes of
 * concurrent writers out of order, so the payload is not trusted. For every agent touched the index
 * re-reads the touched items (or the whole kind for a {@link Change.ReplaceAll}) from the store,
 * outside its lock, and installs them under its write lock only if the store's version of that agent
 * has not moved since the read; otherwise it reads again. So whatever is installed was the store's
 * current state at the moment of installation, and when {@code changed} returns the index is at
 * least as new as the write that triggered it. Queries run under the read lock.
 */
public final class DefaultIndex implements QueryIndex {

    /** The strategy behind {@link IndexStrategy#defaultIndex()}. */
    public static final IndexStrategy STRATEGY = new IndexStrategy() {
        @Override
        public String name() {
            return "default";
        }

        @Override
        public QueryIndex create(MemoryStore store) {
            return new DefaultIndex(store);
        }

        @Override
        public String toString() {
            return "IndexStrategy.defaultIndex()";
        }
    };

    /** Slack for floating-point rounding between the bound arithmetic and the exact weight. */
    private static final double EPSILON = 1e-9;
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Far enough after the last use that recency is below 1e-100 for every kind. */
    private static final Duration RECENCY_GONE = Duration.ofDays(30_000);
    /** Optimistic re-reads before reading under the lock. */
    private static final int MAX_OPTIMISTIC_TRIES = 32;

    private static final Comparator<Entry> BY_STATIC_DESC = (a, b) -> {
        int c = Double.compare(b.staticScore, a.staticScore);
        return c != 0 ? c : a.item.id().compareTo(b.item.id());
    };

    private final MemoryStore store;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<AgentId, AgentState> agents = new HashMap<>();
    private final LongAdder visited = new LongAdder();

    /** @param store the store the index follows */
    public DefaultIndex(MemoryStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    // ------------------------------------------------------------------ queries

    /** @return how many entries queries have examined so far (their filter ran), for tests and tuning */
    public long entriesVisited() {
        return visited.sum();
    }

    @Override
    public List<MemoryItem> query(MemoryQuery query, Instant now) {
        lock.readLock().lock();
        try {
            List<Ranked> sources = new ArrayList<>();
            boolean overlapping = collectSources(query, sources);
            Ranking.TopK top = new Ranking.TopK(Ranking.wanted(query), query.order());
            if (query.rank() == Rank.WEIGHT) {
                topByWeight(query, now, sources, overlapping, top);
            } else {
                topByPass(query, now, sources, overlapping, top);
            }
            return top.drain(query.offset(), query.limit());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return whether an item can be in more than one source (several tag postings of one segment) */
    private boolean collectSources(MemoryQuery query, List<Ranked> sources) {
        boolean overlapping = false;
        Collection<AgentId> targets = query.agents().isEmpty() ? agents.keySet() : query.agents();
        for (AgentId agent : targets) {
            AgentState state = agents.get(agent);
            if (state == null) {
                continue;
            }
            if (!state.unreadable.isEmpty() && query.agents().isEmpty()) {
                continue; // the global view leaves unreadable agents out, as the scan does
            }
            for (ItemKind kind : query.kinds()) {
                CorruptDataException unreadable = state.unreadable.get(kind);
                if (unreadable != null) {
                    throw unreadable;
                }
                Segment seg = state.segments.get(kind);
                if (seg == null || seg.byId.isEmpty()) {
                    continue;
                }
                if (!query.allTags().isEmpty()) {
                    Ranked smallest = null;
                    for (String tag : query.allTags()) {
                        Ranked r = seg.byTag.get(tag);
                        if (r == null) {
                            smallest = null;
                            break;
                        }
                        if (smallest == null || r.size < smallest.size) {
                            smallest = r;
                        }
                    }
                    if (smallest != null) {
                        sources.add(smallest);
                    }
                } else if (!query.anyTags().isEmpty()) {
                    int added = 0;
                    for (String tag : query.anyTags()) {
                        Ranked r = seg.byTag.get(tag);
                        if (r != null) {
                            sources.add(r);
                            added++;
                        }
                    }
                    overlapping |= added > 1;
                } else {
                    sources.add(seg.all);
                }
            }
        }
        return overlapping;
    }

    private void topByPass(MemoryQuery query, Instant now, List<Ranked> sources, boolean overlapping,
            Ranking.TopK top) {
        Set<Entry> seen = overlapping ? new HashSet<>() : null;
        long n = 0;
        for (Ranked r : sources) {
            n += r.size;
            for (Bucket b : r.buckets.values()) {
                for (Entry e : b.entries) {
                    if ((seen == null || seen.add(e)) && query.matches(e.agent, e.item)) {
                        top.offer(Ranking.key(query.rank(), e.item, now), e.agent, e.item);
                    }
                }
            }
        }
        visited.add(n);
    }

    private void topByWeight(MemoryQuery query, Instant now, List<Ranked> sources, boolean overlapping,
            Ranking.TopK top) {
        long nowMillis = now.toEpochMilli();
        Set<Entry> seen = overlapping ? new HashSet<>() : null;
        PriorityQueue<Cursor> queue = new PriorityQueue<>(Math.max(4, sources.size() * 2),
                (a, b) -> Double.compare(b.bound, a.bound));
        for (Ranked r : sources) {
            Cursor head = new Cursor(r, nowMillis);
            if (head.advance()) {
                queue.add(head);
            }
        }
        long n = 0;
        while (!queue.isEmpty()) {
            Cursor c = queue.poll();
            if (top.full() && c.bound + EPSILON < top.worstKey()) {
                break; // nothing left can beat or tie the k-th best
            }
            if (c.admitsBucket()) {
                Cursor bucket = c.admit();
                if (bucket.advance()) {
                    queue.add(bucket);
                }
            } else {
                Entry e = c.entry;
                n++;
                if ((seen == null || seen.add(e)) && query.matches(e.agent, e.item)) {
                    top.offer(e.item.weight(now), e.agent, e.item);
                }
            }
            if (c.advance()) {
                queue.add(c);
            }
        }
        visited.add(n);
    }

    /**
     * A position in a {@code Ranked}: either a bucket cursor walking one bucket's entries, or a
     * "head" that admits the structure's buckets, newest first, into the queue one at a time.
     */
    private static final class Cursor {
        final Ranked ranked;
        final long nowMillis;
        final @Nullable Iterator<Bucket> buckets; // head only
        final @Nullable Iterator<Entry> entries; // bucket cursor only
        final double recencyBound; // bucket cursor only
        @Nullable Bucket pending; // head: next bucket to admit
        @Nullable Entry entry; // bucket cursor: current entry
        double bound;

        Cursor(Ranked ranked, long nowMillis) {
            this.ranked = ranked;
            this.nowMillis = nowMillis;
            this.buckets = ranked.buckets.values().iterator();
            this.entries = null;
            this.recencyBound = 0;
        }

        Cursor(Ranked ranked, long nowMillis, Bucket bucket) {
            this.ranked = ranked;
            this.nowMillis = nowMillis;
            this.buckets = null;
            this.entries = bucket.entries.iterator();
            this.recencyBound = bucket.recencyBound(ranked, nowMillis, bucket.maxCoefficient);
        }

        boolean admitsBucket() {
            return buckets != null;
        }

        Cursor admit() {
            return new Cursor(ranked, nowMillis, Objects.requireNonNull(pending));
        }

        /** Moves to the next bucket (head) or entry (bucket cursor) and updates the bound. */
        boolean advance() {
            if (buckets != null) {
                if (!buckets.hasNext()) {
                    return false;
                }
                pending = buckets.next();
                // no later bucket has a newer end, a larger static score or a larger coefficient
                bound = ranked.maxStatic + pending.recencyBound(ranked, nowMillis, ranked.maxCoefficient);
                return true;
            }
            Iterator<Entry> it = Objects.requireNonNull(entries);
            if (!it.hasNext()) {
                return false;
            }
            entry = it.next();
            bound = entry.staticScore + recencyBound;
            return true;
        }
    }

    // ------------------------------------------------------------------ following the store

    @Override
    public void changed(List<Change> changes) {
        Map<AgentId, Touched> byAgent = new HashMap<>();
        for (Change c : changes) {
            Touched t = byAgent.computeIfAbsent(c.agent(), a -> new Touched());
            if (c instanceof Change.ReplaceAll) {
                t.wholeKinds.add(c.kind());
            } else if (c instanceof Change.Upsert u) {
                t.ids.computeIfAbsent(c.kind(), k -> new HashSet<>()).add(u.item().id());
            } else if (c instanceof Change.Delete d) {
                t.ids.computeIfAbsent(c.kind(), k -> new HashSet<>()).add(d.id());
            }
        }
        byAgent.forEach(this::refresh);
    }

    @Override
    public void rebuild() {
        Set<AgentId> before;
        lock.readLock().lock();
        try {
            before = new HashSet<>(agents.keySet());
        } finally {
            lock.readLock().unlock();
        }
        Set<AgentId> present = store.agents();
        for (AgentId agent : present) {
            Touched all = new Touched();
            for (ItemKind kind : ItemKind.values()) {
                all.wholeKinds.add(kind);
            }
            refresh(agent, all);
        }
        lock.writeLock().lock();
        try {
            before.removeAll(present); // agents that left the store; ones that arrived meanwhile stay
            agents.keySet().removeAll(before);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** What a batch of changes touched in one agent. */
    private static final class Touched {
        final Set<ItemKind> wholeKinds = java.util.EnumSet.noneOf(ItemKind.class);
        final Map<ItemKind, Set<String>> ids = new EnumMap<>(ItemKind.class);
    }

    /** Fresh state read from the store for one agent. */
    private static final class Read {
        final Map<ItemKind, List<MemoryItem>> lists = new EnumMap<>(ItemKind.class);
        final Map<ItemKind, Map<String, Optional<MemoryItem>>> items = new EnumMap<>(ItemKind.class);
        final Map<ItemKind, CorruptDataException> unreadable = new EnumMap<>(ItemKind.class);
    }

    private void refresh(AgentId agent, Touched touched) {
        lock.readLock().lock();
        try {
            AgentState state = agents.get(agent);
            if (state != null) {
                touched.wholeKinds.addAll(state.unreadable.keySet()); // maybe readable again: read whole
            }
        } finally {
            lock.readLock().unlock();
        }
        for (int attempt = 0; attempt < MAX_OPTIMISTIC_TRIES; attempt++) {
            long version = store.version(agent);
            Read read = read(agent, touched);
            lock.writeLock().lock();
            try {
                if (store.version(agent) == version) {
                    install(agent, touched, read);
                    return;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
        // Writers keep racing us: read under the lock so that nothing can slip in between.
        lock.writeLock().lock();
        try {
            install(agent, touched, read(agent, touched));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Read read(AgentId agent, Touched touched) {
        Read read = new Read();
        for (ItemKind kind : touched.wholeKinds) {
            try {
                read.lists.put(kind, store.items(agent, kind));
            } catch (CorruptDataException e) {
                read.unreadable.put(kind, e);
            }
        }
        touched.ids.forEach((kind, ids) -> {
            if (!touched.wholeKinds.contains(kind)) {
                try {
                    Map<String, Optional<MemoryItem>> found = new HashMap<>();
                    for (String id : ids) {
                        found.put(id, store.find(agent, kind, id));
                    }
                    read.items.put(kind, found);
                } catch (CorruptDataException e) {
                    read.unreadable.put(kind, e);
                }
            }
        });
        return read;
    }

    private void install(AgentId agent, Touched touched, Read read) {
        AgentState state = agents.computeIfAbsent(agent, a -> new AgentState());
        read.unreadable.forEach((kind, e) -> {
            state.unreadable.put(kind, e);
            state.segments.remove(kind);
        });
        read.lists.forEach((kind, list) -> {
            state.unreadable.remove(kind);
            Segment seg = new Segment(agent, kind);
            for (MemoryItem item : list) {
                if (!seg.byId.containsKey(item.id())) {
                    seg.put(item);
                }
            }
            state.segments.put(kind, seg);
        });
        read.items.forEach((kind, found) -> {
            if (read.unreadable.containsKey(kind)) {
                return;
            }
            Segment seg = state.segments.computeIfAbsent(kind, k -> new Segment(agent, kind));
            found.forEach((id, item) -> {
                seg.remove(id);
                item.ifPresent(seg::put);
            });
        });
    }

    // ------------------------------------------------------------------ structures

    private static final class AgentState {
        final EnumMap<ItemKind, Segment> segments = new EnumMap<>(ItemKind.class);
        final EnumMap<ItemKind, CorruptDataException> unreadable = new EnumMap<>(ItemKind.class);
    }

    /** One agent's items of one kind: by id, ranked, and ranked per tag. */
    private static final class Segment {
        final AgentId agent;
        final ItemKind kind;
        final HashMap<String, Entry> byId = new HashMap<>();
        final Ranked all;
        final HashMap<String, Ranked> byTag = new HashMap<>();

        Segment(AgentId agent, ItemKind kind) {
            this.agent = agent;
            this.kind = kind;
            this.all = new Ranked(kind);
        }

        void put(MemoryItem item) {
            Entry e = Entry.of(agent, item);
            byId.put(item.id(), e);
            all.add(e);
            for (String tag : item.tags()) {
                byTag.computeIfAbsent(tag, t -> new Ranked(kind)).add(e);
            }
        }

        void remove(String id) {
            Entry e = byId.remove(id);
            if (e == null) {
                return;
            }
            all.remove(e);
            for (String tag : e.item.tags()) {
                Ranked r = byTag.get(tag);
                if (r != null && r.remove(e) && r.size == 0) {
                    byTag.remove(tag);
                }
            }
        }
    }

    /** Entries bucketed by last use (newest bucket first), each bucket sorted by static score. */
    private static final class Ranked {
        final long bucketMillis;
        final double tauMillis;
        final TreeMap<Long, Bucket> buckets = new TreeMap<>(Comparator.reverseOrder());
        /** Upper bounds of every entry's static score and coefficient (kept after removals: still bounds). */
        double maxStatic = Double.NEGATIVE_INFINITY;
        double maxCoefficient;
        int size;

        Ranked(ItemKind kind) {
            double tauDays = switch (kind) {
                case PATTERN -> Learning.PATTERN_RECENCY_DAYS;
                case SOLUTION -> Learning.SOLUTION_RECENCY_DAYS;
                case DECISION -> Learning.DECISION_RECENCY_DAYS;
            };
            this.tauMillis = tauDays * MILLIS_PER_DAY;
            this.bucketMillis = (long) (tauMillis / 4);
        }

        long bucketOf(Entry e) {
            return e.anchorMillis == NO_TIME ? NO_TIME : Math.floorDiv(e.anchorMillis, bucketMillis);
        }

        void add(Entry e) {
            if (buckets.computeIfAbsent(bucketOf(e), Bucket::new).add(e)) {
                size++;
                maxStatic = Math.max(maxStatic, e.staticScore);
                maxCoefficient = Math.max(maxCoefficient, e.recencyCoefficient);
            }
        }

        boolean remove(Entry e) {
            long key = bucketOf(e);
            Bucket b = buckets.get(key);
            if (b == null || !b.entries.remove(e)) {
                return false;
            }
            size--;
            if (b.entries.isEmpty()) {
                buckets.remove(key);
            }
            return true;
        }
    }

    private static final class Bucket {
        final long key;
        final TreeSet<Entry> entries = new TreeSet<>(BY_STATIC_DESC);
        /** Largest recency coefficient of any entry ever added (an upper bound). */
        double maxCoefficient;

        Bucket(long key) {
            this.key = key;
        }

        boolean add(Entry e) {
            maxCoefficient = Math.max(maxCoefficient, e.recencyCoefficient);
            return entries.add(e);
        }

        /**
         * @param coefficient an upper bound of the recency coefficients concerned
         * @return an upper bound of the recency term of entries of this bucket at {@code nowMillis}
         */
        double recencyBound(Ranked r, long nowMillis, double coefficient) {
            if (key == NO_TIME) {
                return 0; // items with no known time have no recency term
            }
            // the bucket's exclusive end is later than any anchor in it, even with sub-millisecond parts
            double end = (double) (key + 1) * r.bucketMillis;
            double ageMillis = Math.max(0, nowMillis - end);
            return coefficient * Math.exp(-ageMillis / r.tauMillis);
        }
    }

    /** One indexed item with its time-independent score and recency coefficient. */
    private static final class Entry {
        final AgentId agent;
        final MemoryItem item;
        final double staticScore;
        final double recencyCoefficient;
        final long anchorMillis;

        private Entry(AgentId agent, MemoryItem item, double staticScore, double recencyCoefficient,
                long anchorMillis) {
            this.agent = agent;
            this.item = item;
            this.staticScore = staticScore;
            this.recencyCoefficient = recencyCoefficient;
            this.anchorMillis = anchorMillis;
        }

        static Entry of(AgentId agent, MemoryItem item) {
            Instant anchor = item.lastUsed();
            if (anchor == null) {
                return new Entry(agent, item, item.weight(Instant.EPOCH), 0, NO_TIME);
            }
            try {
                double s = item.weight(anchor.plus(RECENCY_GONE));
                double c = Math.max(0, item.weight(anchor) - s);
                return new Entry(agent, item, s, c, anchor.toEpochMilli());
            } catch (ArithmeticException | DateTimeException e) {
                // a time so extreme that the formulas cannot place it: never skip this entry
                return new Entry(agent, item, Double.POSITIVE_INFINITY, 0, NO_TIME);
            }
        }
    }
}
