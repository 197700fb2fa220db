package dev.aml.core.relevance;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Why an item got its score: each scorer's contribution to the relevance, and how relevance and the
 * item's weight combine (see {@link RelevanceConfig} for the formula).
 *
 * @param contributions one entry per scorer that applied, in the retrieval's scorer order
 * @param relevanceShare the factor relevance was multiplied with ({@link RelevanceConfig#relevanceWeight()})
 * @param weightShare the factor the item's weight was multiplied with ({@link RelevanceConfig#itemWeight()})
 */
public record Explanation(List<Contribution> contributions, double relevanceShare, double weightShare) {

    /** Copies the list. */
    public Explanation {
        contributions = List.copyOf(contributions);
    }

    /**
     * One scorer's part of the relevance.
     *
     * @param scorer the scorer's name
     * @param score its score in [0, 1]
     * @param weight its configured weight
     * @param share its part of the relevance: {@code weight · score / Σ weights of applicable scorers}
     * @param matched the facts behind the score (matched context keys, types, …)
     * @param terms for the lexical scorer: each matched term's share of the BM25 score (summing to 1),
     *     best first; empty for other scorers
     */
    public record Contribution(String scorer, double score, double weight, double share, List<String> matched,
            Map<String, Double> terms) {
        /** Copies the collections. */
        public Contribution {
            Objects.requireNonNull(scorer, "scorer");
            matched = List.copyOf(matched);
            terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
        }
    }

    /** @return one line per contribution, e.g. {@code "lexical 0.84 × 1.0 → 0.42 [retry 0.61, backoff 0.39]"} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "score = %.2f·relevance + %.2f·weight", relevanceShare, weightShare));
        for (Contribution c : contributions) {
            sb.append(String.format(Locale.ROOT, "%n  %s %.3f × %.2f → %.3f", c.scorer(), c.score(), c.weight(),
                    c.share()));
            if (!c.matched().isEmpty()) {
                sb.append(' ').append(c.matched());
            }
            if (!c.terms().isEmpty()) {
                sb.append(" [");
                boolean first = true;
                for (Map.Entry<String, Double> t : c.terms().entrySet()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(t.getKey()).append(String.format(Locale.ROOT, " %.2f", t.getValue()));
                }
                sb.append(']');
            }
        }
        return sb.toString();
    }
}
