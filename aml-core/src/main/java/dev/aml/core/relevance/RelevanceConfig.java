package dev.aml.core.relevance;

import java.util.EnumSet;
import java.util.Locale;

/**
 * How relevance is computed and combined with an item's weight.
 *
 * <h2>The score</h2>
 * For a situation {@code S} and an item {@code i}, each scorer {@code s} that applies to {@code S}
 * gives {@code r_s(i)} in [0, 1]:
 * <ul>
 *   <li><b>lexical</b>: BM25 ({@link #bm25K1()}, {@link #bm25B()}) of the situation's text, type,
 *       tags and error over the item's text fields, divided by the best BM25 among the candidates
 *       that pass the query's filters (so the best lexical match scores 1);</li>
 *   <li><b>context</b>: {@link RelevanceScorer#context()};</li>
 *   <li><b>type</b>: {@link RelevanceScorer#fuzzyType()};</li>
 *   <li><b>semantic</b> (with an {@link Embedder}): {@code max(0, cosine)} of the situation's and the
 *       item's embeddings;</li>
 *   <li>user scorers, with the weight they were added with.</li>
 * </ul>
 * {@code relevance(i) = Σ w_s·r_s(i) / Σ w_s} over the applicable scorers, and
 * <pre>{@code score(i) = relevanceWeight · relevance(i) + itemWeight · weight(i, now)}</pre>
 * where {@code weight} is the item's own {@link dev.aml.core.MemoryItem#weight} (success, recency,
 * usage, confidence), so among equally matching items a proven one beats a failing one. The two
 * shares are normalized to sum to 1. Items whose relevance is not above {@link #minRelevance()} are
 * not results. Ties are broken by agent, kind and id.
 *
 * @param relevanceWeight share of relevance in the score, ≥ 0 (default {@value #DEFAULT_RELEVANCE_WEIGHT})
 * @param itemWeight share of the item's weight in the score, ≥ 0 (default {@value #DEFAULT_ITEM_WEIGHT})
 * @param lexicalWeight weight of the lexical scorer, ≥ 0, 0 turns it off (default 1)
 * @param contextWeight weight of the context scorer, ≥ 0 (default 1)
 * @param typeWeight weight of the fuzzy type scorer, ≥ 0 (default {@value #DEFAULT_TYPE_WEIGHT})
 * @param semanticWeight weight of the semantic scorer when an embedder is configured, ≥ 0 (default 1)
 * @param bm25K1 BM25 term-frequency saturation, ≥ 0 (default {@value #DEFAULT_BM25_K1})
 * @param bm25B BM25 length normalization, in [0, 1] (default {@value #DEFAULT_BM25_B})
 * @param minRelevance results need a relevance above this, in [0, 1) (default 0)
 * @param solutionContextThreshold {@link Retrieval#solutionsFor}: the least context similarity of a
 *     solution that has a context, in [0, 1] (default {@value #DEFAULT_SOLUTION_CONTEXT_THRESHOLD}, Loom's)
 * @param semanticCandidates how many nearest vectors join the candidates of a query, ≥ 1 (default
 *     {@value #DEFAULT_SEMANTIC_CANDIDATES})
 */
public record RelevanceConfig(double relevanceWeight, double itemWeight, double lexicalWeight, double contextWeight,
        double typeWeight, double semanticWeight, double bm25K1, double bm25B, double minRelevance,
        double solutionContextThreshold, int semanticCandidates) {

    /** Default {@link #relevanceWeight()}. */
    public static final double DEFAULT_RELEVANCE_WEIGHT = 0.8;
    /** Default {@link #itemWeight()}. */
    public static final double DEFAULT_ITEM_WEIGHT = 0.2;
    /** Default {@link #typeWeight()}. */
    public static final double DEFAULT_TYPE_WEIGHT = 0.5;
    /** Default {@link #bm25K1()}. */
    public static final double DEFAULT_BM25_K1 = 1.2;
    /** Default {@link #bm25B()}. */
    public static final double DEFAULT_BM25_B = 0.75;
    /** Default {@link #solutionContextThreshold()} (Loom's {@code similarity ≥ 0.5}). */
    public static final double DEFAULT_SOLUTION_CONTEXT_THRESHOLD = 0.5;
    /** Default {@link #semanticCandidates()}. */
    public static final int DEFAULT_SEMANTIC_CANDIDATES = 100;

    private static final RelevanceConfig DEFAULTS = new RelevanceConfig(DEFAULT_RELEVANCE_WEIGHT,
            DEFAULT_ITEM_WEIGHT, 1, 1, DEFAULT_TYPE_WEIGHT, 1, DEFAULT_BM25_K1, DEFAULT_BM25_B, 0,
            DEFAULT_SOLUTION_CONTEXT_THRESHOLD, DEFAULT_SEMANTIC_CANDIDATES);

    /**
     * Validates and normalizes {@code relevanceWeight + itemWeight} to 1.
     *
     * @throws IllegalArgumentException naming the field, the value and the allowed range
     */
    public RelevanceConfig {
        nonNegative("relevanceWeight", relevanceWeight);
        nonNegative("itemWeight", itemWeight);
        if (relevanceWeight + itemWeight == 0) {
            throw new IllegalArgumentException("relevanceWeight and itemWeight cannot both be 0");
        }
        double sum = relevanceWeight + itemWeight;
        relevanceWeight /= sum;
        itemWeight /= sum;
        nonNegative("lexicalWeight", lexicalWeight);
        nonNegative("contextWeight", contextWeight);
        nonNegative("typeWeight", typeWeight);
        nonNegative("semanticWeight", semanticWeight);
        nonNegative("bm25K1", bm25K1);
        if (!(bm25B >= 0 && bm25B <= 1)) {
            throw new IllegalArgumentException("bm25B must be in [0, 1], was " + bm25B);
        }
        if (!(minRelevance >= 0 && minRelevance < 1)) {
            throw new IllegalArgumentException("minRelevance must be in [0, 1), was " + minRelevance);
        }
        if (!(solutionContextThreshold >= 0 && solutionContextThreshold <= 1)) {
            throw new IllegalArgumentException("solutionContextThreshold must be in [0, 1], was "
                    + solutionContextThreshold);
        }
        if (semanticCandidates < 1) {
            throw new IllegalArgumentException("semanticCandidates must be >= 1, was " + semanticCandidates);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, was " + v);
        }
    }

    /** @return the defaults documented on each field */
    public static RelevanceConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** @return a builder starting from this config; each option may still be set once */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link RelevanceConfig}; each option may be set once. */
    public static final class Builder {
        private enum Option { RELEVANCE_WEIGHT, ITEM_WEIGHT, LEXICAL, CONTEXT, TYPE, SEMANTIC, K1, B, MIN,
            SOLUTION_THRESHOLD, SEMANTIC_CANDIDATES }

        private final EnumSet<Option> set = EnumSet.noneOf(Option.class);
        private double relevanceWeight;
        private double itemWeight;
        private double lexicalWeight;
        private double contextWeight;
        private double typeWeight;
        private double semanticWeight;
        private double bm25K1;
        private double bm25B;
        private double minRelevance;
        private double solutionContextThreshold;
        private int semanticCandidates;

        private Builder(RelevanceConfig c) {
            relevanceWeight = c.relevanceWeight;
            itemWeight = c.itemWeight;
            lexicalWeight = c.lexicalWeight;
            contextWeight = c.contextWeight;
            typeWeight = c.typeWeight;
            semanticWeight = c.semanticWeight;
            bm25K1 = c.bm25K1;
            bm25B = c.bm25B;
            minRelevance = c.minRelevance;
            solutionContextThreshold = c.solutionContextThreshold;
            semanticCandidates = c.semanticCandidates;
        }

        private void once(Option o, Object current) {
            if (!set.add(o)) {
                throw new IllegalStateException(o.name().toLowerCase(Locale.ROOT) + " was already set to " + current);
            }
        }

        /**
         * @param relevance share of relevance in the score
         * @param weight share of the item's weight in the score
         * @return this builder
         */
        public Builder shares(double relevance, double weight) {
            once(Option.RELEVANCE_WEIGHT, relevanceWeight);
            once(Option.ITEM_WEIGHT, itemWeight);
            relevanceWeight = relevance;
            itemWeight = weight;
            return this;
        }

        /** @param w weight of the lexical scorer @return this builder */
        public Builder lexicalWeight(double w) {
            once(Option.LEXICAL, lexicalWeight);
            lexicalWeight = w;
            return this;
        }

        /** @param w weight of the context scorer @return this builder */
        public Builder contextWeight(double w) {
            once(Option.CONTEXT, contextWeight);
            contextWeight = w;
            return this;
        }

        /** @param w weight of the type scorer @return this builder */
        public Builder typeWeight(double w) {
            once(Option.TYPE, typeWeight);
            typeWeight = w;
            return this;
        }

        /** @param w weight of the semantic scorer @return this builder */
        public Builder semanticWeight(double w) {
            once(Option.SEMANTIC, semanticWeight);
            semanticWeight = w;
            return this;
        }

        /**
         * @param k1 BM25 term-frequency saturation
         * @param b BM25 length normalization
         * @return this builder
         */
        public Builder bm25(double k1, double b) {
            once(Option.K1, bm25K1);
            once(Option.B, bm25B);
            bm25K1 = k1;
            bm25B = b;
            return this;
        }

        /** @param min results need a relevance above this @return this builder */
        public Builder minRelevance(double min) {
            once(Option.MIN, minRelevance);
            minRelevance = min;
            return this;
        }

        /** @param threshold least context similarity in {@code solutionsFor} @return this builder */
        public Builder solutionContextThreshold(double threshold) {
            once(Option.SOLUTION_THRESHOLD, solutionContextThreshold);
            solutionContextThreshold = threshold;
            return this;
        }

        /** @param n nearest vectors that join a query's candidates @return this builder */
        public Builder semanticCandidates(int n) {
            once(Option.SEMANTIC_CANDIDATES, semanticCandidates);
            semanticCandidates = n;
            return this;
        }

        /**
         * @return the config
         * @throws IllegalArgumentException if a value is out of range
         */
        public RelevanceConfig build() {
            return new RelevanceConfig(relevanceWeight, itemWeight, lexicalWeight, contextWeight, typeWeight,
                    semanticWeight, bm25K1, bm25B, minRelevance, solutionContextThreshold, semanticCandidates);
        }
    }
}
