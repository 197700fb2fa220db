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
 * Each indexed item is a {@link Doc} with a dense ordinal. A term has a posting list: parallel int
 * arrays of ordinals and term frequencies, appended to as documents arrive, so adding a document
 * costs one hash lookup and one append per distinct term. Removing one only marks its ordinal dead
 * and lowers the live document frequency of its terms; scoring skips dead ordinals. When dead
 * ordinals outnumber live ones (and there are more than {@value #COMPACT_MIN_DEAD}), the structures
 * are rebuilt from the live documents, which keeps every operation amortized O(terms of the document).
 *
 * <h2>Scoring</h2>
 * BM25 with {@code idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))} over the live documents, and
 * {@code tf·(k1 + 1)/(tf + k1·(1 − b + b·len/avgLen))}. A query is scored term at a time into a
 * per-thread accumulator, visiting only the postings of its terms. {@link #bruteForce} computes the
 * same sum document by document from the documents' own term lists; the property test checks both
 * agree, which is what makes the postings trustworthy.
 */
final class LexicalIndex {

    static final int COMPACT_MIN_DEAD = 1024;

    /** One indexed item. */
    static final class Doc {
        final DocKey key;
        final AgentId agent;
        final MemoryItem item;
        final ItemText text;
        final String[] terms;
        final int[] tfs;
        final int length;
        int ordinal;

        Doc(DocKey key, MemoryItem item, ItemText text) {
            this.key = key;
            this.agent = key.agent();
            this.item = item;
            this.text = text;
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String t : text.terms()) {
                counts.merge(t, 1, Integer::sum);
            }
            this.terms = counts.keySet().toArray(new String[0]);
            this.tfs = new int[terms.length];
            int i = 0;
            for (int c : counts.values()) {
                tfs[i++] = c;
            }
            this.length = text.terms().size();
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
        int[] docs = new int[4];
        int[] tfs = new int[4];
        int size;
        int df;

        void add(int doc, int tf) {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, size * 2);
                tfs = Arrays.copyOf(tfs, size * 2);
            }
            docs[size] = doc;
            tfs[size] = tf;
            size++;
            df++;
        }
    }

    private final double k1;
    private final double b;
    private Doc[] docs = new Doc[64];
    private int next;
    private int live;
    private long totalLength;
    private HashMap<String, Postings> postings = new HashMap<>();
    private final HashMap<DocKey, Doc> byKey = new HashMap<>();
    private HashMap<String, Set<DocKey>> byType = new HashMap<>();
    private HashMap<String, Set<DocKey>> byContext = new HashMap<>();

    private final int compactMinDead;

    LexicalIndex(double k1, double b) {
        this(k1, b, COMPACT_MIN_DEAD);
    }

    /** @param compactMinDead fewest dead ordinals before a compaction (small in tests) */
    LexicalIndex(double k1, double b, int compactMinDead) {
        this.k1 = k1;
        this.b = b;
        this.compactMinDead = compactMinDead;
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
        }
        d.ordinal = next;
        docs[next++] = d;
        live++;
        totalLength += d.length;
        for (int i = 0; i < d.terms.length; i++) {
            postings.computeIfAbsent(d.terms[i], t -> new Postings()).add(d.ordinal, d.tfs[i]);
        }
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
        live--;
        totalLength -= d.length;
        for (String t : d.terms) {
            Postings p = postings.get(t);
            p.df--;
            if (p.df == 0) {
                postings.remove(t); // no live document has it: drop the list with its dead entries
            }
        }
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

    /** Renumbers the live documents and rebuilds the postings without dead entries. */
    void compact() {
        List<Doc> alive = new ArrayList<>(live);
        for (int i = 0; i < next; i++) {
            if (docs[i] != null) {
                alive.add(docs[i]);
            }
        }
        docs = new Doc[Math.max(64, Integer.highestOneBit(Math.max(1, alive.size())) * 2)];
        next = 0;
        live = 0;
        totalLength = 0;
        postings = new HashMap<>();
        byType = new HashMap<>();
        byContext = new HashMap<>();
        for (Doc d : alive) {
            install(d);
        }
    }

    /** Removes every document. */
    void clear() {
        docs = new Doc[64];
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
        int df = p == null ? 0 : p.df;
        return Math.log(1 + (live - df + 0.5) / (df + 0.5));
    }

    private double avgLength() {
        return live == 0 ? 1 : Math.max(1e-9, (double) totalLength / live);
    }

    /** @return one term's BM25 part for a document with that term frequency and length */
    double termScore(double idf, int tf, int length, double avgLength) {
        return idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + b * length / avgLength));
    }

    /**
     * Scores the documents that contain at least one term, term at a time.
     *
     * @param terms distinct query terms, in a fixed order
     * @param acc accumulator of at least {@link #capacity()} zeros; left holding the scores
     * @param touched receives each scored ordinal once
     * @return how many ordinals were written to {@code touched}
     */
    int score(List<String> terms, double[] acc, int[] touched) {
        int n = 0;
        double avg = avgLength();
        for (String t : terms) {
            Postings p = postings.get(t);
            if (p == null) {
                continue;
            }
            double idf = Math.log(1 + (live - p.df + 0.5) / (p.df + 0.5));
            int[] pd = p.docs;
            int[] pt = p.tfs;
            for (int i = 0; i < p.size; i++) {
                Doc d = docs[pd[i]];
                if (d == null || d.ordinal != pd[i]) {
                    continue; // dead
                }
                int o = pd[i];
                if (acc[o] == 0) {
                    touched[n++] = o;
                }
                acc[o] += termScore(idf, pt[i], d.length, avg);
            }
        }
        return n;
    }

    /**
     * @param terms distinct query terms, in the order {@link #score} used
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
