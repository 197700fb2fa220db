package dev.aml.core.internal.relevance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LexicalIndex#scoreTopK} prunes: on queries where MaxScore or the block bounds apply it scores
 * exactly far fewer documents than the query's lists hold ({@link LexicalIndex#exactlyScored}), and
 * still returns the brute-force top k.
 */
class LexicalIndexPruningTest {

    private static final int DOCS = 4_000;

    private static DocKey key(int i) {
        return new DocKey(AgentId.of("a"), ItemKind.PATTERN, String.format("p%05d", i));
    }

    private static List<String> words(String... w) {
        return List.of(w);
    }

    /** @return the top k of scoreTopK, checked against the brute-force scorer, and how many it scored exactly */
    private static long checkedTopK(LexicalIndex index, String query, int k) {
        List<String> terms = index.order(Tokenizer.tokenize(query));
        double[] acc = new double[index.capacity()];
        int[] touched = new int[index.capacity()];
        long before = index.exactlyScored();
        int n = index.scoreTopK(terms, k, acc, touched);
        long scored = index.exactlyScored() - before;
        List<Map.Entry<DocKey, Double>> pruned = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pruned.add(Map.entry(index.doc(touched[i]).key, acc[touched[i]]));
        }
        List<Map.Entry<DocKey, Double>> brute = new ArrayList<>();
        for (LexicalIndex.Doc d : index.docs()) {
            double v = index.bruteForce(terms, d);
            if (v > 0) {
                brute.add(Map.entry(d.key, v));
            }
        }
        assertThat(top(pruned, k)).hasSize(Math.min(k, brute.size())).isEqualTo(top(brute, k));
        assertThat(n).as("reported").isLessThanOrEqualTo((int) scored);
        return scored;
    }

    private static List<Map.Entry<DocKey, Double>> top(List<Map.Entry<DocKey, Double>> all, int k) {
        List<Map.Entry<DocKey, Double>> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> {
            int c = Double.compare(b.getValue(), a.getValue());
            return c != 0 ? c : DocKey.ORDER.compare(a.getKey(), b.getKey());
        });
        return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
    }

    @Test
    void aRareTermPlusAVeryCommonTermScoresFewDocumentsExactly() {
        LexicalIndex index = new LexicalIndex(1.2, 0.75);
        for (int i = 0; i < DOCS; i++) {
            // every document has "common"; one in 100 also has "rare"; the filler varies the lengths
            List<String> w = new ArrayList<>(words("common", "filler" + (char) ('a' + i % 7)));
            if (i % 100 == 37) {
                w.add("rare");
            }
            for (int j = 0; j < i % 5; j++) {
                w.add("pad");
            }
            index.put(key(i), LexicalIndexMatchesBruteForceTest.pattern(key(i).id(), w));
        }
        assertThat(index.df("common")).isEqualTo(DOCS);
        assertThat(index.df("rare")).isEqualTo(DOCS / 100);
        // without pruning every document with "common" would be scored. Until the heap holds k documents
        // with "rare" (the k-th is ordinal 100k - 63) every candidate can still reach θ; from then on
        // "common" is non-essential and only "rare"'s list is walked
        assertThat(checkedTopK(index, "rare common", 1)).isLessThan(DOCS / 40);
        assertThat(checkedTopK(index, "common rare", 3)).isLessThan(DOCS / 10);
        // the same when the index holds dead entries (every other document replaced, none compacted yet)
        LexicalIndex churned = new LexicalIndex(1.2, 0.75, Integer.MAX_VALUE, LexicalIndex.BLOCK_SHIFT);
        for (int i = 0; i < DOCS; i++) {
            churned.put(key(i), LexicalIndexMatchesBruteForceTest.pattern(key(i).id(),
                    i % 100 == 37 ? words("common", "rare") : words("common", "pad", "pad")));
        }
        for (int i = 0; i < DOCS; i += 2) {
            churned.put(key(i), LexicalIndexMatchesBruteForceTest.pattern(key(i).id(),
                    i % 100 == 38 ? words("common", "rare", "pad") : words("common", "pad")));
        }
        assertThat(churned.capacity()).isEqualTo(DOCS + DOCS / 2);
        assertThat(checkedTopK(churned, "common rare", 1)).isLessThan(DOCS / 40);
        assertThat(checkedTopK(churned, "rare common", 3)).isLessThan(DOCS / 10);
    }

    @Test
    void blocksWhoseBoundIsBelowTheKthScoreAreSkippedWhole() {
        // one term, so MaxScore alone prunes nothing: the first five documents have it five times, every
        // later one once, so once the five are in the heap every later block's bound is below θ
        LexicalIndex index = new LexicalIndex(1.2, 0.75);
        for (int i = 0; i < DOCS; i++) {
            List<String> w = i < 5 ? words("common", "common", "common", "common", "common")
                    : words("common", "pad", "pad", "pad", "pad");
            index.put(key(i), LexicalIndexMatchesBruteForceTest.pattern(key(i).id(), w));
        }
        long scored = checkedTopK(index, "common", 5);
        assertThat(scored).isLessThanOrEqualTo(2L << LexicalIndex.BLOCK_SHIFT); // the first block or two
        // and when the heap cannot fill with better documents early, every document is scored
        assertThat(checkedTopK(index, "common", DOCS)).isEqualTo(DOCS);
    }
    @Test
    void aSkippedWindowEndsAtTheFirstBlockEndOfTheEssentialLists() {
        // blocks of 2 entries. After ordinal 0 sets θ, at ordinal 2 both lists are essential (each has a
        // document scoring θ alone) and their current blocks, "aa" {3, 4} and "bb" {2, 3}, bound less
        // than θ together: the window is skipped up to ordinal 3, the end of "bb"'s block, and no
        // further, since ordinal 4 (in "bb"'s next block, with "bb" 8 times) is the best document
        // and needs its "aa" entry from the block "aa" is still in
        LexicalIndex index = new LexicalIndex(2.0, 1.0, Integer.MAX_VALUE, 1);
        List<String> pad = java.util.Collections.nCopies(40, "pad");
        List<List<String>> docs = List.of(
                java.util.Collections.nCopies(10, "aa"),
                concat(words("aa"), pad),
                concat(words("bb"), pad),
                concat(words("aa", "bb"), pad),
                concat(words("aa"), java.util.Collections.nCopies(8, "bb"), java.util.Collections.nCopies(31, "pad")),
                concat(words("bb"), pad),
                java.util.Collections.nCopies(10, "bb"),
                concat(words("aa"), pad));
        for (int i = 0; i < docs.size(); i++) {
            index.put(key(i), LexicalIndexMatchesBruteForceTest.pattern(key(i).id(), docs.get(i)));
        }
        assertThat(checkedTopK(index, "aa bb", 1)).as("0, 1, 4, 5, 6: the window [2, 3] skipped, 7 past both essential lists").isEqualTo(docs.size() - 3);
        assertThat(checkedTopK(index, "aa bb", 2)).isLessThanOrEqualTo(docs.size());
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
