package dev.aml.core.internal.relevance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.relevance.RelevanceConfig;
import dev.aml.core.relevance.VectorPersistence;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The incremental BM25 index (postings appended and tombstoned, compacted now and then) scores
 * exactly like a brute-force scorer that reads every live document's own terms, after any sequence
 * of writes; and the engine kept in sync through the store's change listener equals one built from
 * scratch.
 */
class LexicalIndexMatchesBruteForceTest {

    private static final List<String> WORDS = List.of("retry", "backoff", "jitter", "timeout", "deadlock", "lock",
            "order", "cache", "redis", "SocketTimeoutException", "http_client", "kafkaConsumer", "rebalance", "heap",
            "memory", "pool", "connection", "index", "migration", "token");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** A write: upsert of item {@code id} (0..11) with some words, or its deletion. */
    record Op(int agent, int id, boolean delete, List<String> words) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<List<String>> words = Arbitraries.of(WORDS).list().ofMinSize(0).ofMaxSize(8);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers()
                .between(0, 11), Arbitraries.integers().between(0, 4).map(i -> i == 0), words).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<String>> query() {
        return Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(4);
    }

    static Pattern pattern(String id, List<String> words) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "t");
        body.put("approach", Map.of("technique", String.join(" ", words), "rationale", ""));
        return new Pattern(id, "a", NOW, RawJson.of(body), new PatternMetrics(0.5, 1, 0, 0, RawJson.emptyObject()),
                new Evolution(NOW, NOW, 0, 0.5, RawJson.emptyObject()), List.of(), true, RawJson.emptyObject());
    }

    @Property(tries = 300)
    void postingsScoreExactlyLikeTheBruteForceScorer(@ForAll("ops") List<Op> ops, @ForAll("query") List<String> q,
            @ForAll boolean useDefaultsK1B) {
        LexicalIndex index = useDefaultsK1B ? new LexicalIndex(1.2, 0.75, 2, 1) : new LexicalIndex(2.0, 0.3, 2, 2);
        for (Op op : ops) {
            DocKey key = new DocKey(AgentId.of("a" + op.agent()), ItemKind.PATTERN, "p" + op.id());
            if (op.delete()) {
                index.remove(key);
            } else {
                index.put(key, pattern(key.id(), op.words()));
            }
        }
        List<String> terms = index.order(Tokenizer.tokenize(String.join(" ", q)));
        double[] acc = new double[index.capacity()];
        int[] touched = new int[index.capacity()];
        int n = index.score(terms, acc, touched);
        Map<DocKey, Double> fromPostings = new HashMap<>();
        for (int i = 0; i < n; i++) {
            fromPostings.put(index.doc(touched[i]).key, acc[touched[i]]);
        }
        Map<DocKey, Double> brute = new HashMap<>();
        for (LexicalIndex.Doc d : index.docs()) {
            double s = index.bruteForce(terms, d);
            if (s > 0) {
                brute.put(d.key, s);
            }
        }
        assertThat(fromPostings).isEqualTo(brute);
        // the pruned top k: same scores for the documents it keeps, and the same best k
        for (int k : new int[] {1, 3, 10}) {
            double[] acc2 = new double[index.capacity()];
            int[] touched2 = new int[index.capacity()];
            int m = index.scoreTopK(terms, k, acc2, touched2);
            List<Map.Entry<DocKey, Double>> pruned = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                DocKey key = index.doc(touched2[i]).key;
                assertThat(acc2[touched2[i]]).isEqualTo(brute.get(key));
                pruned.add(Map.entry(key, acc2[touched2[i]]));
            }
            assertThat(top(pruned, k)).isEqualTo(top(new ArrayList<>(brute.entrySet()), k));
        }
    }

    // ------------------------------------------------------------------ skewed, churned indexes

    /** One word in nearly every document; the others rare. */
    private static final String COMMON = "common";
    private static final List<String> RARE = List.of("kalo", "mine", "ruta", "vozi", "pesa", "dofu", "giho", "jube",
            "ciwa", "xoyu", "lomi", "neru", "tavo", "zipe", "sado", "fugi");
    /** Never in a document. */
    private static final List<String> UNKNOWN = List.of("zzmissing", "qqabsent");
    /** Word lists several documents share, so that scores tie and the key order decides. */
    private static final List<List<String>> TEMPLATES = List.of(List.of(COMMON, "kalo"), List.of(COMMON, "mine",
            "mine"), List.of(COMMON, COMMON, "ruta", "vozi"), List.of(COMMON), List.of("kalo", "pesa"));

    /**
     * An index built with these settings by {@code adds} (item {@code i} of the list is item {@code i}),
     * then churned by {@code churn} (updates and deletions of those items, leaving dead entries inside
     * the blocks when {@code compactMinDead} is large).
     */
    record Scenario(double k1, double b, int compactMinDead, int blockShift, List<List<String>> adds, List<Op> churn) {
    }

    private static Arbitrary<List<String>> skewedWords() {
        Arbitrary<Integer> commonTf = Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(6, 1), Tuple.of(2, 2),
                Tuple.of(1, 3));
        Arbitrary<List<String>> free = Combinators.combine(commonTf, Arbitraries.of(RARE).list().ofMaxSize(4),
                Arbitraries.of(WORDS).list().ofMaxSize(5)).as((tf, rare, filler) -> {
                    List<String> w = new ArrayList<>();
                    for (int i = 0; i < tf; i++) {
                        w.add(COMMON);
                    }
                    w.addAll(rare);
                    w.addAll(filler);
                    return w;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(TEMPLATES)), Tuple.of(7, free));
    }

    @Provide
    Arbitrary<Scenario> skewed() {
        return Arbitraries.integers().between(1, 120).flatMap(n -> {
            Arbitrary<List<List<String>>> adds = skewedWords().list().ofSize(n);
            Arbitrary<Op> change = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers()
                    .between(0, n - 1), Arbitraries.integers().between(0, 2).map(i -> i == 0), skewedWords())
                    .as(Op::new);
            return Combinators.combine(Arbitraries.of(0.0, 0.5, 1.2, 2.0), Arbitraries.of(0.0, 0.3, 0.75, 1.0),
                    Arbitraries.of(2, 16, Integer.MAX_VALUE), Arbitraries.integers().between(1, 3), adds,
                    change.list().ofMaxSize(2 * n)).as(Scenario::new);
        });
    }

    @Provide
    Arbitrary<List<String>> skewedQuery() {
        Arbitrary<String> term = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(COMMON)),
                Tuple.of(5, Arbitraries.of(RARE)), Tuple.of(1, Arbitraries.of(WORDS)),
                Tuple.of(1, Arbitraries.of(UNKNOWN)));
        Arbitrary<List<String>> mixed = term.list().ofMinSize(1).ofMaxSize(5)
                .flatMap(q -> Arbitraries.integers().between(0, 2).map(dups -> {
                    List<String> out = new ArrayList<>(q);
                    for (int i = 0; i < dups; i++) {
                        out.add(q.get(i % q.size())); // the same term again
                    }
                    return out;
                }));
        return Arbitraries.frequencyOf(Tuple.of(9, mixed), Tuple.of(1, Arbitraries.of(UNKNOWN).list().ofMinSize(1)
                .ofMaxSize(3)));
    }

    private static LexicalIndex build(Scenario s) {
        LexicalIndex index = new LexicalIndex(s.k1(), s.b(), s.compactMinDead(), s.blockShift());
        for (int i = 0; i < s.adds().size(); i++) {
            DocKey key = key(i % 2, i);
            index.put(key, pattern(key.id(), s.adds().get(i)));
        }
        for (Op op : s.churn()) {
            DocKey key = key(op.agent(), op.id());
            if (op.delete()) {
                index.remove(key);
            } else {
                index.put(key, pattern(key.id(), op.words()));
            }
        }
        return index;
    }

    private static DocKey key(int agent, int id) {
        return new DocKey(AgentId.of("a" + agent), ItemKind.PATTERN, "p" + id);
    }

    @Property(tries = 300)
    void theTopKOfSkewedChurnedIndexesEqualsTheBruteForceTopK(@ForAll("skewed") Scenario s,
            @ForAll("skewedQuery") List<String> q) {
        checkTopK(build(s), q);
    }

    /**
     * Runs of similar documents (a term's frequency and the lengths change from run to run, not
     * within one), so block bounds differ from block to block and whole windows get skipped.
     */
    @Provide
    Arbitrary<Scenario> clustered() {
        Arbitrary<Integer> tf = Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(4, 1), Tuple.of(1, 3), Tuple.of(1, 6));
        Arbitrary<List<String>> base = Combinators.combine(tf, tf, Arbitraries.of(RARE.subList(2, 6)).list()
                .ofMaxSize(2), Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(1, 3), Tuple.of(1, 20)))
                .as((common, kalo, rare, pad) -> {
                    List<String> w = new ArrayList<>();
                    for (int i = 0; i < common; i++) {
                        w.add(COMMON);
                    }
                    for (int i = 0; i < kalo; i++) {
                        w.add("kalo");
                    }
                    w.addAll(rare);
                    for (int i = 0; i < pad; i++) {
                        w.add("pad");
                    }
                    return w;
                });
        Arbitrary<List<List<String>>> run = Combinators.combine(base, Arbitraries.integers().between(1, 12))
                .flatAs((words, count) -> Arbitraries.of(RARE.subList(0, 6)).list().ofMaxSize(1).list()
                        .ofSize(count).map(extras -> {
                            List<List<String>> docs = new ArrayList<>();
                            for (List<String> extra : extras) {
                                List<String> w = new ArrayList<>(words);
                                w.addAll(extra);
                                docs.add(w);
                            }
                            return docs;
                        }));
        return run.list().ofMinSize(1).ofMaxSize(16).map(runs -> runs.stream().flatMap(List::stream).toList())
                .flatMap(adds -> {
                    int n = adds.size();
                    Arbitrary<Op> change = Combinators.combine(Arbitraries.integers().between(0, 1),
                            Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(0, 3)
                                    .map(i -> i == 0), base).as(Op::new);
                    return Combinators.combine(Arbitraries.of(0.5, 1.2, 2.0), Arbitraries.of(0.0, 0.75, 1.0),
                            Arbitraries.of(16, Integer.MAX_VALUE), Arbitraries.integers().between(1, 2),
                            Arbitraries.just(adds), change.list().ofMaxSize(n / 2)).as(Scenario::new);
                });
    }

    @Provide
    Arbitrary<List<String>> clusteredQuery() {
        Arbitrary<List<String>> any = Arbitraries.of(COMMON, "kalo", "mine", "ruta", "vozi", "pesa", "dofu",
                "zzmissing").list().ofMinSize(1).ofMaxSize(4);
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of(COMMON, "kalo"))), Tuple.of(1, any));
    }

    @Property(tries = 300)
    void theTopKOfClusteredIndexesEqualsTheBruteForceTopK(@ForAll("clustered") Scenario s,
            @ForAll("clusteredQuery") List<String> q) {
        checkTopK(build(s), q);
    }

    /**
     * Compacting in place leaves the index a fresh one built from the live documents in ordinal order
     * would be: same ordinals, and the same top k reached by the same pruning (same block figures).
     */
    @Property(tries = 200)
    void aCompactedIndexPrunesExactlyLikeOneBuiltFromScratch(@ForAll("clustered") Scenario s,
            @ForAll("clusteredQuery") List<String> q, @ForAll("skewedQuery") List<String> q2) {
        LexicalIndex compacted = build(new Scenario(s.k1(), s.b(), Integer.MAX_VALUE, s.blockShift(), s.adds(),
                s.churn()));
        compacted.compact();
        LexicalIndex fresh = new LexicalIndex(s.k1(), s.b(), Integer.MAX_VALUE, s.blockShift());
        for (int o = 0; o < compacted.capacity(); o++) {
            LexicalIndex.Doc d = compacted.doc(o);
            fresh.put(d.key, d.item);
        }
        assertThat(compacted.capacity()).isEqualTo(compacted.size()).isEqualTo(fresh.capacity());
        for (LexicalIndex.Doc d : fresh.docs()) {
            assertThat(compacted.get(d.key).ordinal).isEqualTo(d.ordinal);
        }
        for (List<String> query : List.of(q, q2)) {
            List<String> terms = compacted.order(Tokenizer.tokenize(String.join(" ", query)));
            assertThat(fresh.order(terms)).isEqualTo(terms);
            for (String t : terms) {
                assertThat(compacted.df(t)).isEqualTo(fresh.df(t));
            }
            for (int k : new int[] {1, 3, 1000}) {
                double[] acc1 = new double[compacted.capacity()];
                int[] touched1 = new int[compacted.capacity()];
                double[] acc2 = new double[fresh.capacity()];
                int[] touched2 = new int[fresh.capacity()];
                long before1 = compacted.exactlyScored();
                long before2 = fresh.exactlyScored();
                int n1 = compacted.scoreTopK(terms, k, acc1, touched1);
                int n2 = fresh.scoreTopK(terms, k, acc2, touched2);
                assertThat(java.util.Arrays.copyOf(touched1, n1)).isEqualTo(java.util.Arrays.copyOf(touched2, n2));
                assertThat(acc1).isEqualTo(acc2);
                assertThat(compacted.exactlyScored() - before1).isEqualTo(fresh.exactlyScored() - before2);
            }
        }
        // and it keeps taking writes like the fresh one
        for (Op op : s.churn().subList(0, Math.min(5, s.churn().size()))) {
            DocKey key = key(op.agent(), op.id());
            for (LexicalIndex index : List.of(compacted, fresh)) {
                if (op.delete()) {
                    index.remove(key);
                } else {
                    index.put(key, pattern(key.id(), op.words()));
                }
            }
        }
        checkTopK(compacted, q);
        assertThat(compacted.capacity()).isEqualTo(fresh.capacity());
    }

    private static void checkTopK(LexicalIndex index, List<String> q) {
        List<String> terms = index.order(Tokenizer.tokenize(String.join(" ", q)));
        assertThat(terms).doesNotHaveDuplicates();
        Map<DocKey, Double> brute = new HashMap<>();
        for (LexicalIndex.Doc d : index.docs()) {
            double v = index.bruteForce(terms, d);
            if (v > 0) {
                brute.put(d.key, v);
            }
        }
        if (q.stream().allMatch(UNKNOWN::contains)) {
            assertThat(brute).isEmpty();
        }
        List<Double> descending = brute.values().stream().sorted((x, y) -> Double.compare(y, x)).toList();
        // one accumulator for every k, zeroed after each call as the engine does, so a stray write shows
        double[] acc = new double[index.capacity()];
        int[] touched = new int[index.capacity()];
        for (int k : new int[] {1, 2, 3, 5, 10, 1000}) {
            int m = index.scoreTopK(terms, k, acc, touched);
            Set<DocKey> reported = new HashSet<>();
            List<Map.Entry<DocKey, Double>> pruned = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                LexicalIndex.Doc d = index.doc(touched[i]);
                assertThat(d).as("reported ordinal %s is live", touched[i]).isNotNull();
                assertThat(reported.add(d.key)).as("%s reported once", d.key).isTrue();
                assertThat(acc[touched[i]]).as("score of %s", d.key).isEqualTo(brute.get(d.key));
                pruned.add(Map.entry(d.key, acc[touched[i]]));
                acc[touched[i]] = 0;
            }
            for (int o = 0; o < acc.length; o++) {
                assertThat(acc[o]).as("accumulator at unreported ordinal %s", o).isZero();
            }
            // every document scoring at least the k-th best is reported, ties included
            if (!descending.isEmpty()) {
                double kth = descending.get(Math.min(k, descending.size()) - 1);
                for (Map.Entry<DocKey, Double> e : brute.entrySet()) {
                    if (e.getValue() >= kth) {
                        assertThat(reported).as("k=%s, score %s >= k-th %s", k, e.getValue(), kth)
                                .contains(e.getKey());
                    }
                }
            }
            assertThat(top(pruned, k)).as("k=%s", k).isEqualTo(top(new ArrayList<>(brute.entrySet()), k));
        }
    }

    private static List<Map.Entry<DocKey, Double>> top(List<Map.Entry<DocKey, Double>> all, int k) {
        all.sort((a, b) -> {
            int c = Double.compare(b.getValue(), a.getValue());
            return c != 0 ? c : DocKey.ORDER.compare(a.getKey(), b.getKey());
        });
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    @Property(tries = 100)
    void theEngineFollowingTheStoreEqualsOneBuiltFromScratch(@ForAll("ops") List<Op> ops,
            @ForAll("query") List<String> q) {
        MemoryStore store = MemoryStore.inMemory();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        RetrievalEngine live = new RetrievalEngine(store, clock, RelevanceConfig.defaults(), List.of(), null,
                VectorPersistence.none());
        for (Op op : ops) {
            AgentId agent = AgentId.of("a" + op.agent());
            if (op.delete()) {
                store.delete(agent, ItemKind.PATTERN, "p" + op.id());
            } else if (op.id() == 11) {
                store.apply(List.of(Change.replaceAll(agent, ItemKind.PATTERN, List.of(pattern("p11", op.words()),
                        pattern("p3", op.words())))));
            } else {
                store.apply(List.of(Change.upsert(agent, pattern("p" + op.id(), op.words()))));
            }
        }
        RetrievalEngine fresh = new RetrievalEngine(store, clock, RelevanceConfig.defaults(), List.of(), null,
                VectorPersistence.none());
        String text = String.join(" ", q);
        assertThat(live.lexicalTopK(text, 10)).isEqualTo(fresh.lexicalTopK(text, 10))
                .isEqualTo(live.bruteForceTopK(text, 10));
        assertThat(live.indexedItems()).isEqualTo(fresh.indexedItems());
    }
}
