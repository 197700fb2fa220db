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
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    private static Pattern pattern(String id, List<String> words) {
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
