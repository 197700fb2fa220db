package dev.aml.core.internal.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import dev.aml.core.relevance.RelevanceScorer;
import dev.aml.core.relevance.Situation;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@link RelevanceScorer#fuzzyType()}: fuzzy matching of types and error types. */
public final class TypeScorer implements RelevanceScorer {

    /** The one instance. */
    public static final TypeScorer INSTANCE = new TypeScorer();
    /** Similarities below this count as no match. */
    static final double FLOOR = 0.5;

    private TypeScorer() {
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Score score(Situation situation, AgentId agent, MemoryItem item) {
        ItemText t = ItemText.of(item);
        return score(situation, t.type(), t.errorType());
    }

    /**
     * @param situation the situation
     * @param itemType the item's type, or null
     * @param itemErrorType the item's error type, or null
     * @return the better of type and error-type similarity; not applicable when the situation has neither
     */
    public static Score score(Situation situation, @Nullable String itemType, @Nullable String itemErrorType) {
        if (situation.type() == null && situation.errorType() == null) {
            return Score.NOT_APPLICABLE;
        }
        double best = 0;
        String why = null;
        if (situation.type() != null && itemType != null) {
            double s = similarity(situation.type(), itemType);
            if (s > best) {
                best = s;
                why = "type " + itemType;
            }
        }
        if (situation.errorType() != null && itemErrorType != null) {
            double s = similarity(situation.errorType(), itemErrorType);
            if (s > best) {
                best = s;
                why = "errorType " + itemErrorType;
            }
        }
        if (best < FLOOR || why == null) {
            return Score.ZERO;
        }
        return Score.of(best, why);
    }

    /**
     * @param a a type
     * @param b another
     * @return 1 for equal normalized names, else the better of word Jaccard and edit similarity
     */
    public static double similarity(String a, String b) {
        String na = normalize(a);
        String nb = normalize(b);
        if (na.equals(nb)) {
            return 1;
        }
        Set<String> wa = new HashSet<>(words(a));
        Set<String> wb = new HashSet<>(words(b));
        double jaccard = 0;
        if (!wa.isEmpty() && !wb.isEmpty()) {
            Set<String> inter = new HashSet<>(wa);
            inter.retainAll(wb);
            Set<String> union = new HashSet<>(wa);
            union.addAll(wb);
            jaccard = (double) inter.size() / union.size();
        }
        int max = Math.max(na.length(), nb.length());
        double edit = max == 0 ? 0 : 1 - (double) levenshtein(na, nb) / max;
        return Math.max(jaccard, edit);
    }

    private static List<String> words(String s) {
        return Tokenizer.tokenize(simpleName(s));
    }

    /** Lower case, without a package prefix and without separators. */
    static String normalize(String s) {
        return simpleName(s).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    private static String simpleName(String s) {
        String t = s.strip();
        int dot = t.lastIndexOf('.');
        // a dotted name ending in a capitalized simple name is a class name: keep the class only
        if (dot >= 0 && dot + 1 < t.length() && Character.isUpperCase(t.charAt(dot + 1))) {
            return t.substring(dot + 1);
        }
        return t;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
