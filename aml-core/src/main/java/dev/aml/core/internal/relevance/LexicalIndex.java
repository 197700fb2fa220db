package dev.aml.core.internal.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incremental BM25 index behind the lexical scorer, plus the small maps that propose candidates
 * for the context and type scorers. Not thread-safe: {@link RetrievalEngine} guards it with a
 * read-write lock.
 *
 * <h2>Layout</h2>
 * Each indexed item is a {@link Doc} with a dense ordinal; {@code lengths[ordinal]} holds its length
 * (−1 once it is removed), so the scoring loops read one int array and never the documents. A term
 * has a posting list: parallel int arrays of ordinals and term frequencies, appended to in increasing
 * ordinal order as documents arrive, so adding a document costs one hash lookup and one append per
 * distinct term (the document keeps its lists, so removing it needs no lookup). Every list keeps the
 * largest term frequency and the smallest document length among its entries, as a whole and per
 * block of consecutive entries (2^{@value #BLOCK_SHIFT} = 64 unless a test asks for less), updated
 * on append. Removing a document only marks its ordinal dead and lowers the live document frequency
 * of its terms; the block figures stay as they were, looser but still valid bounds. When dead ordinals
 * outnumber live ones (and there are more than {@value #COMPACT_MIN_DEAD}), the index is compacted:
 * the live documents are renumbered in order and every list drops its dead entries and recomputes its
 * block figures in place, which keeps every operation amortized O(terms of the document) and makes
 * the block figures tight again.
 *
 * <h2>Scoring</h2>
 * BM25 with {@code idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))} over the live documents, and
 * {@code tf·(k1 + 1)/(tf + k1·(1 − b + b·len/avgLen))}. Every method sums a document's term parts in
 * the canonical {@link #order} (rarest term first), so {@link #score} (every document with a query
 * term, term at a time into a per-thread accumulator), {@link #scoreTopK} and {@link #bruteForce}
 * (document by document from the documents' own term lists, the reference the property test checks
 * both against) give bit-identical doubles.
 *
 * <h2>Pruning</h2>
 * {@link #scoreTopK} is document at a time with block-max MaxScore (as in Lucene's
 * MaxScoreBulkScorer). A term part grows with tf and does not grow with the length (k1 ≥ 0,
 * 0 ≤ b ≤ 1), so {@code termScore(idf, maxTf, minLength, avgLen)} bounds every entry of a list, or
 * of a block, whatever the average length is now. θ is the k-th best exact score found so far (a
 * min-heap of k doubles). The query's lists are sorted by bound, and the longest prefix whose bounds
 * sum below θ is <em>non-essential</em>: a document in none of the other (essential) lists cannot
 * reach θ, so only the essential lists are walked, each candidate being the smallest current ordinal
 * among their cursors. Before scoring, the window up to the nearest end of an essential cursor's
 * block is skipped whole if the essential blocks' bounds plus the non-essential bounds stay below θ.
 * A candidate gets its essential parts, then looks up the non-essential lists by galloping search,
 * highest bound first, and is abandoned as soon as its partial sum plus the bounds still to come is
 * below θ. As θ only rises, the non-essential prefix only grows. A document that survives is scored
 * exactly (its parts summed in canonical order) and reported if it reaches θ; ties with the k-th
 * score are kept, because the caller breaks ties by key. Bounds are compared with a slack of
 * {@code 1e-9·max(1, θ)}: a bound is a sum in another order (and {@code tf·c/tf} is not exactly
 * {@code c} in floating point), so it may fall an ulp or so below the exact score it bounds; the
 * slack only costs a few extra candidates, never a result.
 */
final class LexicalIndex {

    static final int COMPACT_MIN_DEAD = 1024;
    static final int BLOCK_SHIFT = 6;

    /** One indexed item. */
    static final class Doc {
        final DocKey key;
        final AgentId agent;
        final MemoryItem item;
        final ItemText text;
        /** Distinct terms in order of first occurrence, with their frequencies. */
        final String[] terms;
        final int[] tfs;
        final int length;
        int ordinal;
        /** The posting list of each of {@link #terms} while the document is installed. */
        private Postings[] lists;

        Doc(DocKey key, MemoryItem item, ItemText text) {
            this.key = key;
            this.agent = key.agent();
            this.item = item;
            this.text = text;
            List<String> all = text.terms();
            int n = all.size();
            int mask = Integer.highestOneBit(Math.max(2, n) * 2) * 2 - 1;
            int[] slots = new int[mask + 1];
            String[] distinct = new String[n];
            int[] counts = new int[n];
            int d = 0;
            for (int i = 0; i < n; i++) {
                String t = all.get(i);
                int h = t.hashCode();
                int slot = (h ^ (h >>> 16)) & mask;
                while (true) {
                    int s = slots[slot];
                    if (s == 0) {
                        slots[slot] = d + 1;
                        distinct[d] = t;
                        counts[d++] = 1;
                        break;
                    }
                    if (distinct[s - 1].equals(t)) {
                        counts[s - 1]++;
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            this.terms = d == n ? distinct : Arrays.copyOf(distinct, d);
            this.tfs = d == n ? counts : Arrays.copyOf(counts, d);
            this.length = n;
        }

        int tf(String term) {
            for (int i = 0; i < terms.length; i++) {
                if (terms[i].equals(term)) {
                    return tfs[i];
                }
            }
            return 0;
        }
    }

    private static final class Postings {
        final int blockShift;
        int[] docs = new int[4];
        int[] tfs = new int[4];
        int size;
        int df;
        int maxTf;
        int minLength = Integer.MAX_VALUE;
        int[] blockMaxTf = new int[1];
        int[] blockMinLength = new int[1];

        Postings(int blockShift) {
            this.blockShift = blockShift;
        }

        void add(int doc, int tf, int length) {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, size * 2);
                tfs = Arrays.copyOf(tfs, size * 2);
            }
            int block = size >>> blockShift;
            if (block == blockMaxTf.length) {
                blockMaxTf = Arrays.copyOf(blockMaxTf, block * 2);
                blockMinLength = Arrays.copyOf(blockMinLength, block * 2);
            }
            if ((size & ((1 << blockShift) - 1)) == 0) {
                blockMaxTf[block] = tf;
                blockMinLength[block] = length;
            } else {
                blockMaxTf[block] = Math.max(blockMaxTf[block], tf);
                blockMinLength[block] = Math.min(blockMinLength[block], length);
            }
            maxTf = Math.max(maxTf, tf);
            minLength = Math.min(minLength, length);
            docs[size] = doc;
            tfs[size] = tf;
            size++;
            df++;
        }

        /** Keeps the entries of live documents, renumbered by {@code remap} (−1: dead), with exact block figures. */
        void compact(int[] remap, int[] lengths) {
            int[] oldDocs = docs;
            int[] oldTfs = tfs;
            int oldSize = size;
            int capacity = Integer.highestOneBit(Math.max(4, df) - 1) << 1; // as appending them would leave it
            docs = new int[capacity];
            tfs = new int[capacity];
            blockMaxTf = new int[Math.max(1, ((capacity - 1) >>> blockShift) + 1)];
            blockMinLength = new int[blockMaxTf.length];
            size = 0;
            df = 0;
            maxTf = 0;
            minLength = Integer.MAX_VALUE;
            for (int i = 0; i < oldSize; i++) {
                int o = remap[oldDocs[i]];
                if (o >= 0) {
                    add(o, oldTfs[i], lengths[o]);
                }
            }
        }

        /** @return the first position at or after {@code from} whose ordinal is at least {@code target} */
        int advance(int from, int target) {
            if (from >= size || docs[from] >= target) {
                return from;
            }
            int lo = from;
            int step = 1;
            int hi = from + 1;
            while (hi < size && docs[hi] < target) {
                lo = hi;
                step <<= 1;
                hi = from + step;
            }
            if (hi > size) {
                hi = size;
            }
            // docs[lo] < target, and hi == size or docs[hi] >= target
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (docs[mid] < target) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return hi;
        }
    }

    private final double k1;
    private final double b;
    private Doc[] docs = new Doc[64];
    private int[] lengths = new int[64];
    private int next;
    private int live;
    private long totalLength;
    private HashMap<String, Postings> postings = new HashMap<>();
    private final HashMap<DocKey, Doc> byKey = new HashMap<>();
    private HashMap<String, Set<DocKey>> byType = new HashMap<>();
    private HashMap<String, Set<DocKey>> byContext = new HashMap<>();

    private final int compactMinDead;
    private final int blockShift;
    /** Documents {@link #scoreTopK} has scored exactly, over all its calls (one add per call; racy across threads, read by tests). */
    private long exactlyScored;

    LexicalIndex(double k1, double b) {
        this(k1, b, COMPACT_MIN_DEAD, BLOCK_SHIFT);
    }

    /**
     * @param compactMinDead fewest dead ordinals before a compaction (small in tests)
     * @param blockShift log2 of the posting block size (small in tests, so that small indexes have blocks)
     */
    LexicalIndex(double k1, double b, int compactMinDead, int blockShift) {
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("BM25 bounds need k1 >= 0 and 0 <= b <= 1, were " + k1 + ", " + b);
        }
        this.k1 = k1;
        this.b = b;
        this.compactMinDead = compactMinDead;
        this.blockShift = blockShift;
    }

    /** @return live documents */
    int size() {
        return live;
    }

    /** @return ordinals handed out, live or dead (the accumulator length a query needs) */
    int capacity() {
        return next;
    }

    Doc doc(int ordinal) {
        return docs[ordinal];
    }

    Doc get(DocKey key) {
        return byKey.get(key);
    }

    Iterable<Doc> docs() {
        return byKey.values();
    }

    /** Adds or replaces the document of {@code key}. */
    void put(DocKey key, MemoryItem item) {
        remove(key);
        Doc d = new Doc(key, item, ItemText.of(item));
        install(d);
        byKey.put(key, d);
    }

    private void install(Doc d) {
        if (next == docs.length) {
            docs = Arrays.copyOf(docs, docs.length * 2);
            lengths = Arrays.copyOf(lengths, docs.length);
        }
        d.ordinal = next;
        docs[next] = d;
        lengths[next] = d.length;
        next++;
        live++;
        totalLength += d.length;
        Postings[] lists = new Postings[d.terms.length];
        for (int i = 0; i < d.terms.length; i++) {
            Postings p = postings.get(d.terms[i]);
            if (p == null) {
                p = new Postings(blockShift);
                postings.put(d.terms[i], p);
            }
            p.add(d.ordinal, d.tfs[i], d.length);
            lists[i] = p;
        }
        d.lists = lists;
        String type = d.text.type() != null ? d.text.type() : d.text.errorType();
        if (type != null) {
            byType.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(d.key);
        }
        for (Map.Entry<String, Object> e : d.text.context().entrySet()) {
            byContext.computeIfAbsent(ItemText.contextKey(e.getKey(), e.getValue()), k -> new LinkedHashSet<>())
                    .add(d.key);
        }
    }

    /** Removes the document of {@code key}, if any. */
    void remove(DocKey key) {
        Doc d = byKey.remove(key);
        if (d == null) {
            return;
        }
        docs[d.ordinal] = null;
        lengths[d.ordinal] = -1;
        live--;
        totalLength -= d.length;
        for (int i = 0; i < d.terms.length; i++) {
            Postings p = d.lists[i];
            p.df--;
            if (p.df == 0) {
                postings.remove(d.terms[i]); // no live document has it: drop the list with its dead entries
            }
        }
        d.lists = null;
        String type = d.text.type() != null ? d.text.type() : d.text.errorType();
        if (type != null) {
            removeFrom(byType, type, key);
        }
        for (Map.Entry<String, Object> e : d.text.context().entrySet()) {
            removeFrom(byContext, ItemText.contextKey(e.getKey(), e.getValue()), key);
        }
        if (next - live > compactMinDead && next - live > live) {
            compact();
        }
    }

    private static void removeFrom(Map<String, Set<DocKey>> map, String k, DocKey key) {
        Set<DocKey> s = map.get(k);
        if (s != null) {
            s.remove(key);
            if (s.isEmpty()) {
                map.remove(k);
            }
        }
    }

    /**
     * Renumbers the live documents (keeping their order) and filters the dead entries out of every
     * posting list in place, recomputing its block figures: the lists, type and context maps end up as
     * re-adding the live documents in order would leave them, without hashing a term again.
     */
    void compact() {
        int[] remap = new int[next];
        Doc[] renumbered = new Doc[Math.max(64, Integer.highestOneBit(Math.max(1, live)) * 2)];
        int[] newLengths = new int[renumbered.length];
        int n = 0;
        for (int i = 0; i < next; i++) {
            Doc d = docs[i];
            if (d == null) {
                remap[i] = -1;
            } else {
                remap[i] = n;
                d.ordinal = n;
                renumbered[n] = d;
                newLengths[n] = d.length;
                n++;
            }
        }
        for (Postings p : postings.values()) {
            p.compact(remap, newLengths);
        }
        docs = renumbered;
        lengths = newLengths;
        next = n;
    }

    /** Removes every document. */
    void clear() {
        docs = new Doc[64];
        lengths = new int[64];
        next = 0;
        live = 0;
        totalLength = 0;
        postings = new HashMap<>();
        byKey.clear();
        byType = new HashMap<>();
        byContext = new HashMap<>();
    }

    /** @return every distinct type (or error type) with the items that have it */
    Map<String, Set<DocKey>> types() {
        return byType;
    }

    /** @return the items whose context has that {@link ItemText#contextKey} pair */
    Set<DocKey> withContext(String contextKey) {
        return byContext.getOrDefault(contextKey, Set.of());
    }

    double idf(String term) {
        Postings p = postings.get(term);
        return idfOf(p == null ? 0 : p.df);
    }

    private double idfOf(int df) {
        return Math.log(1 + (live - df + 0.5) / (df + 0.5));
    }

    private double avgLength() {
        return live == 0 ? 1 : Math.max(1e-9, (double) totalLength / live);
    }

    /** @return one term's BM25 part for a document with that term frequency and length */
    double termScore(double idf, int tf, int length, double avgLength) {
        return idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + b * length / avgLength));
    }

    /** @return how many live documents contain the term */
    int df(String term) {
        Postings p = postings.get(term);
        return p == null ? 0 : p.df;
    }

    /**
     * @param terms query terms, repeats allowed
     * @return the distinct terms in the canonical scoring order: rarest first (highest idf), ties by
     *     the term itself. Every scoring method sums in this order, so their doubles agree exactly.
     */
    List<String> order(java.util.Collection<String> terms) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(terms));
        out.sort(java.util.Comparator.comparingInt(this::df).thenComparing(t -> t));
        return out;
    }

    /**
     * Scores what can reach the top {@code k}, document at a time with block-max MaxScore (see the
     * class comment). Every document reported has its exact score (the sum {@link #score} gives it);
     * every document of the true top k is reported, including those tied with the k-th score.
     *
     * @param ordered terms in {@link #order} order
     * @param k how many results are needed, at least 1
     * @param acc accumulator of at least {@link #capacity()} zeros; left holding the reported scores
     * @param touched receives each reported ordinal once
     * @return how many ordinals were written to {@code touched}; the top k are among them
     */
    int scoreTopK(List<String> ordered, int k, double[] acc, int[] touched) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        int m = ordered.size();
        double avg = avgLength();
        Postings[] lists = new Postings[m];
        int[] canonical = new int[m];
        double[] idfs = new double[m];
        double[] bounds = new double[m];
        int q = 0;
        for (int j = 0; j < m; j++) {
            Postings p = postings.get(ordered.get(j));
            if (p == null) {
                continue;
            }
            double idf = idfOf(p.df);
            double bound = termScore(idf, p.maxTf, p.minLength, avg);
            int at = q++;
            while (at > 0 && bounds[at - 1] > bound) { // lists by bound, ascending
                lists[at] = lists[at - 1];
                canonical[at] = canonical[at - 1];
                idfs[at] = idfs[at - 1];
                bounds[at] = bounds[at - 1];
                at--;
            }
            lists[at] = p;
            canonical[at] = j;
            idfs[at] = idf;
            bounds[at] = bound;
        }
        double[] boundsBelow = new double[q + 1]; // boundsBelow[i]: the sum of the bounds of lists 0..i-1
        for (int i = 0; i < q; i++) {
            boundsBelow[i + 1] = boundsBelow[i] + bounds[i];
        }
        int[] cursor = new int[q];
        int[] cachedBlock = new int[q];
        Arrays.fill(cachedBlock, -1);
        double[] cachedBlockBound = new double[q];
        double[] parts = new double[m];
        double[] heap = new double[Math.min(k, Math.max(1, live))];
        int heapSize = 0;
        double theta = 0;
        double floor = Double.NEGATIVE_INFINITY; // a bound below this cannot reach θ
        int nonEssential = 0; // lists [0, nonEssential) are looked up, lists [nonEssential, q) walked
        int mask = (1 << blockShift) - 1;
        int n = 0;
        int exact = 0;
        while (nonEssential < q) {
            int d = Integer.MAX_VALUE;
            for (int i = nonEssential; i < q; i++) {
                Postings p = lists[i];
                if (cursor[i] < p.size) {
                    d = Math.min(d, p.docs[cursor[i]]);
                }
            }
            if (d == Integer.MAX_VALUE) {
                break;
            }
            if (heapSize == heap.length) {
                int windowEnd = Integer.MAX_VALUE;
                double windowBound = boundsBelow[nonEssential];
                for (int i = nonEssential; i < q; i++) {
                    Postings p = lists[i];
                    int c = cursor[i];
                    if (c < p.size) {
                        int block = c >>> blockShift;
                        if (cachedBlock[i] != block) {
                            cachedBlock[i] = block;
                            cachedBlockBound[i] = termScore(idfs[i], p.blockMaxTf[block], p.blockMinLength[block], avg);
                        }
                        windowEnd = Math.min(windowEnd, p.docs[Math.min(p.size, (block + 1) << blockShift) - 1]);
                        windowBound += cachedBlockBound[i];
                    }
                }
                if (windowBound < floor) { // no ordinal in [d, windowEnd] can reach θ
                    for (int i = nonEssential; i < q; i++) {
                        Postings p = lists[i];
                        int c = cursor[i];
                        int blockEnd = Math.min(p.size, (c | mask) + 1);
                        while (c < blockEnd && p.docs[c] <= windowEnd) {
                            c++;
                        }
                        cursor[i] = c;
                    }
                    continue;
                }
            }
            int length = lengths[d];
            double partial = 0;
            for (int i = nonEssential; i < q; i++) {
                Postings p = lists[i];
                int c = cursor[i];
                if (c < p.size && p.docs[c] == d) {
                    if (length >= 0) {
                        double part = termScore(idfs[i], p.tfs[c], length, avg);
                        parts[canonical[i]] = part;
                        partial += part;
                    }
                    cursor[i] = c + 1;
                }
            }
            if (length < 0) {
                continue; // dead
            }
            boolean reachable = true;
            for (int i = nonEssential - 1; i >= 0; i--) {
                if (partial + boundsBelow[i + 1] < floor) {
                    reachable = false;
                    break;
                }
                Postings p = lists[i];
                int c = p.advance(cursor[i], d);
                cursor[i] = c;
                if (c < p.size && p.docs[c] == d) {
                    double part = termScore(idfs[i], p.tfs[c], length, avg);
                    parts[canonical[i]] = part;
                    partial += part;
                }
            }
            if (reachable) {
                exact++;
                double score = 0;
                for (int j = 0; j < m; j++) {
                    score += parts[j];
                }
                if (heapSize < heap.length || score >= theta) {
                    acc[d] = score;
                    touched[n++] = d;
                    boolean raised = false;
                    if (heapSize < heap.length) {
                        heapPush(heap, heapSize++, score);
                        raised = heapSize == heap.length;
                    } else if (score > heap[0]) {
                        heapReplaceMin(heap, heapSize, score);
                        raised = true;
                    }
                    if (raised) {
                        theta = heap[0];
                        floor = theta - 1e-9 * Math.max(1, theta);
                        while (nonEssential < q && boundsBelow[nonEssential + 1] < floor) {
                            nonEssential++;
                        }
                    }
                }
            }
            Arrays.fill(parts, 0);
        }
        exactlyScored += exact;
        return n;
    }

    /** @return how many documents {@link #scoreTopK} has scored exactly so far, over all its calls */
    long exactlyScored() {
        return exactlyScored;
    }

    private static void heapPush(double[] heap, int size, double v) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
    }

    private static void heapReplaceMin(double[] heap, int size, double v) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }

    /**
     * Scores the documents that contain at least one term, term at a time.
     *
     * @param terms distinct query terms, in {@link #order} order
     * @param acc accumulator of at least {@link #capacity()} zeros; left holding the scores
     * @param touched receives each scored ordinal once
     * @return how many ordinals were written to {@code touched}
     */
    int score(List<String> terms, double[] acc, int[] touched) {
        double avg = avgLength();
        int[] lens = lengths;
        int n = 0;
        for (String t : terms) {
            Postings p = postings.get(t);
            if (p == null) {
                continue;
            }
            double idf = idfOf(p.df);
            int[] pd = p.docs;
            int[] pt = p.tfs;
            for (int i = 0; i < p.size; i++) {
                int o = pd[i];
                int length = lens[o];
                if (length < 0) {
                    continue; // dead
                }
                if (acc[o] == 0) {
                    touched[n++] = o;
                }
                acc[o] += termScore(idf, pt[i], length, avg);
            }
        }
        return n;
    }

    /**
     * @param terms distinct query terms, in {@link #order} order
     * @param d a document
     * @return its BM25 score computed from its own term list (the reference for the postings)
     */
    double bruteForce(List<String> terms, Doc d) {
        double avg = avgLength();
        double s = 0;
        for (String t : terms) {
            int tf = d.tf(t);
            if (tf > 0) {
                s += termScore(idf(t), tf, d.length, avg);
            }
        }
        return s;
    }

    /**
     * @param terms distinct query terms
     * @param d a document
     * @return each matched term's BM25 part, in query order
     */
    Map<String, Double> termParts(List<String> terms, Doc d) {
        double avg = avgLength();
        Map<String, Double> parts = new LinkedHashMap<>();
        for (String t : terms) {
            int tf = d.tf(t);
            if (tf > 0) {
                parts.put(t, termScore(idf(t), tf, d.length, avg));
            }
        }
        return parts;
    }
}
