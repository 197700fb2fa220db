package dev.aml.core.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import dev.aml.core.internal.relevance.ContextScorer;
import dev.aml.core.internal.relevance.TypeScorer;
import java.util.List;
import java.util.Objects;

/**
 * One way of judging how well an item matches a situation: the small SPI behind every relevance
 * signal. A scorer returns a value in [0, 1] and the facts that made it, or {@link Score#NOT_APPLICABLE}
 * when the situation gives it nothing to judge (a context scorer without a context), so that it does
 * not dilute the others.
 *
 * <p>Built in: {@link #context()} (context-key similarity), {@link #fuzzyType()} (types and error
 * types), and, maintained by {@link Retrieval} with their own incremental indexes, the lexical BM25
 * scorer ({@value #LEXICAL}) and, with an {@link Embedder}, the semantic cosine scorer
 * ({@value #SEMANTIC}). A user scorer is added with {@link Retrieval.Builder#scorer} and scores the
 * candidates the built-in indexes propose (items matching some term, context value, type or, with
 * an embedder, the nearest vectors); it must be thread-safe, fast, and free of side effects. A
 * scorer that throws or returns a value outside [0, 1] fails the query with an error naming it.
 */
public interface RelevanceScorer {

    /** Name of the built-in lexical (BM25) scorer. */
    String LEXICAL = "lexical";
    /** Name of the built-in semantic (embedding cosine) scorer. */
    String SEMANTIC = "semantic";
    /** Name of the built-in context-similarity scorer. */
    String CONTEXT = "context";
    /** Name of the built-in fuzzy type scorer. */
    String TYPE = "type";

    /**
     * Context-key similarity, Loom's rule with its defects fixed: the share of the item's context
     * keys whose value equals the situation's ({@code matches / item keys}); strings compare
     * case-insensitively, numbers by value ({@code 18 == 18.0}). Not applicable when the situation
     * has no context; 0 (not NaN, as in Loom's solutions) when the item has none.
     *
     * @return the context scorer
     */
    static RelevanceScorer context() {
        return ContextScorer.INSTANCE;
    }

    /**
     * Fuzzy matching of the situation's type against a pattern's or decision's {@code type}, and of
     * its error type against a solution's {@code errorType}: 1 for equal names (ignoring case,
     * separators and a package prefix, so {@code SocketTimeoutException} matches
     * {@code java.net.SocketTimeoutException}), otherwise the better of word overlap (Jaccard) and
     * edit similarity, counted only from 0.5 up. Not applicable when the situation has neither.
     *
     * @return the type scorer
     */
    static RelevanceScorer fuzzyType() {
        return TypeScorer.INSTANCE;
    }

    /** @return the scorer's name, shown in explanations, unique among a retrieval's scorers */
    String name();

    /**
     * @param situation the situation
     * @param agent the agent whose memory holds the item
     * @param item the item
     * @return the score, never {@code null}
     */
    Score score(Situation situation, AgentId agent, MemoryItem item);

    /**
     * A scorer's verdict on one item.
     *
     * @param value the score in [0, 1], or NaN for {@link #NOT_APPLICABLE}
     * @param matched human-readable facts behind the score, e.g. {@code "protocol=http"}
     */
    record Score(double value, List<String> matched) {

        /** The scorer has nothing to judge for this situation; it is left out of the mean. */
        public static final Score NOT_APPLICABLE = new Score(Double.NaN, List.of());
        /** Nothing matched. */
        public static final Score ZERO = new Score(0, List.of());

        /**
         * Copies the facts.
         *
         * @throws IllegalArgumentException if the value is outside [0, 1] and not NaN
         */
        public Score {
            if (!Double.isNaN(value) && !(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("a relevance score must be in [0, 1] (or NaN for not"
                        + " applicable), was " + value);
            }
            matched = List.copyOf(Objects.requireNonNull(matched, "matched"));
        }

        /**
         * @param value the score in [0, 1]
         * @param matched the facts behind it
         * @return the score
         */
        public static Score of(double value, String... matched) {
            return new Score(value, List.of(matched));
        }

        /** @return whether the scorer applied */
        public boolean applicable() {
            return !Double.isNaN(value);
        }
    }
}
