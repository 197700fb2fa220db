package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Text-bearing patterns for the relevance benchmarks: a vocabulary of 5,000 pseudo-words built from
 * syllables, drawn Zipf-skewed (s = 1), so a few words are in a large share of items as in real
 * memory ("retry", "timeout"), and most are rare. Each pattern has a 3-word type, an 8-word technique
 * and a 16-word rationale; queries are 5 words from the same distribution.
 */
final class RelevanceFixtures {

    static final int VOCABULARY = 5_000;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do",
        "fu", "gi", "ho", "ju", "be", "ci", "wa", "xo", "yu"};
    private static final String[] WORDS = new String[VOCABULARY];
    private static final double[] CUMULATIVE = new double[VOCABULARY];

    static {
        for (int i = 0; i < VOCABULARY; i++) {
            int a = i % 20;
            int b = (i / 20) % 20;
            int c = i / 400;
            WORDS[i] = SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c % 20] + (c >= 20 ? SYLLABLES[c / 20] : "");
        }
        double sum = 0;
        for (int i = 0; i < VOCABULARY; i++) {
            sum += 1.0 / (i + 1);
            CUMULATIVE[i] = sum;
        }
        for (int i = 0; i < VOCABULARY; i++) {
            CUMULATIVE[i] /= sum;
        }
    }

    private RelevanceFixtures() {
    }

    static String word(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        int lo = 0;
        int hi = VOCABULARY - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (CUMULATIVE[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return WORDS[lo];
    }

    static String words(SplittableRandom rnd, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(word(rnd));
        }
        return sb.toString();
    }

    static Pattern pattern(SplittableRandom rnd, int i) {
        Map<String, Object> body = Map.of("type", words(rnd, 3), "context", Map.of("service", "s" + rnd.nextInt(50)),
                "approach", Map.of("technique", words(rnd, 8), "rationale", words(rnd, 16)));
        Instant used = MemoryFixtures.NOW.minus(Duration.ofMillis((long) (rnd.nextDouble() * 365 * 86_400_000L)));
        return new Pattern(String.format("%08x-0000-4000-8000-%012x", i, (long) i), "agent" + (i % 4), used,
                RawJson.of(body), new PatternMetrics(rnd.nextDouble(), rnd.nextInt(201), 100, 0, RawJson.emptyObject()),
                new Evolution(used, used, 0, 0.1 + 0.9 * rnd.nextDouble(), RawJson.emptyObject()), List.of(), true,
                RawJson.emptyObject());
    }

    /** Fills {@code store} with {@code size} text patterns over 4 agents. */
    static void fill(MemoryStore store, int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<MemoryItem>> perAgent = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            perAgent.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++) {
            perAgent.get(i % 4).add(pattern(rnd, i));
        }
        List<Change> changes = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            changes.add(Change.replaceAll(AgentId.of("agent" + a), ItemKind.PATTERN, perAgent.get(a)));
        }
        store.apply(changes);
    }

    static String[] queries(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] q = new String[n];
        for (int i = 0; i < n; i++) {
            q[i] = words(rnd, 5);
        }
        return q;
    }
}
