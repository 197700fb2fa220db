package dev.aml.core.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.internal.relevance.DocKey;
import dev.aml.core.internal.relevance.RetrievalEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Relevance retrieval over one store: "what applies to this situation?" It keeps its own
 * incremental indexes (BM25 postings, context and type maps, and with an {@link Embedder} the item
 * vectors), follows every write to the store like the query index does, and answers ranked queries
 * whose results {@linkplain Explanation explain} their score.
 *
 * <pre>{@code
 * Retrieval r = Retrieval.builder(store).build();               // lexical + context + type
 * List<ScoredItem> hits = r.query(MemoryQuery.patterns().agents("coder").minSuccessRate(0.5)
 *         .relevantTo(Situation.builder().text("payment API times out").context(Map.of("protocol", "http"))
 *                 .build())
 *         .limit(5).build());
 * }</pre>
 *
 * <p>Every filter of the {@link MemoryQuery} applies (kinds, agents, tags, text, thresholds, windows,
 * active); its {@link MemoryQuery#rank()} is replaced by the combined score of
 * {@link RelevanceConfig}, and offset and limit page the ranked results. Thread-safe. Queries reflect
 * every write acknowledged before they started.
 */
public final class Retrieval implements AutoCloseable {

    private final RetrievalEngine engine;

    private Retrieval(RetrievalEngine engine) {
        this.engine = engine;
    }

    /**
     * @param store the store to retrieve from; the retrieval registers for its changes
     * @return a builder
     */
    public static Builder builder(MemoryStore store) {
        return new Builder(store);
    }

    /**
     * @param query a query with {@link MemoryQuery.Builder#relevantTo a situation}
     * @return the results, best first, immutable
     * @throws IllegalArgumentException if the query has no situation
     * @throws dev.aml.core.CorruptDataException if the query names an agent whose memory could not be read
     */
    public List<ScoredItem> query(MemoryQuery query) {
        Situation s = query.situation();
        if (s == null) {
            throw new IllegalArgumentException("a relevance query needs a situation: use"
                    + " MemoryQuery.Builder.relevantTo(Situation), or query(filter, situation)");
        }
        return engine.query(query, s);
    }

    /**
     * @param filter filters, order and page ({@link MemoryQuery#situation()} is ignored)
     * @param situation the situation
     * @return the results, best first, immutable
     */
    public List<ScoredItem> query(MemoryQuery filter, Situation situation) {
        return engine.query(filter, situation);
    }

    /**
     * Items similar to one item (Loom's {@code findSimilarPatterns}, over every kind the filter allows):
     * the item's type, context, text, tags and error type serve as the situation; the item itself is
     * left out.
     *
     * @param agent the agent whose memory holds the item
     * @param kind its kind
     * @param id its id
     * @param filter filters and page
     * @return similar items, best first
     * @throws dev.aml.core.ItemNotFoundException if there is no such item
     */
    public List<ScoredItem> similarTo(AgentId agent, ItemKind kind, String id, MemoryQuery filter) {
        return engine.similarTo(agent, kind, id, filter);
    }

    /**
     * Same as {@link #similarTo(AgentId, ItemKind, String, MemoryQuery)} for the item with that id
     * (the first by agent and kind if several agents hold one).
     *
     * @param id the item id
     * @param filter filters and page
     * @return similar items, best first
     * @throws dev.aml.core.ItemNotFoundException if no agent holds such an item
     */
    public List<ScoredItem> similarTo(String id, MemoryQuery filter) {
        DocKey k = engine.find(id).orElseThrow(() -> new dev.aml.core.ItemNotFoundException("No item '" + id
                + "' in any agent's memory; list ids with a query first"));
        return engine.similarTo(k.agent(), k.kind(), k.id(), filter);
    }

    /**
     * Solutions for an error (Loom's {@code matchesError}, ranked): the solution's error type must
     * match (equal ignoring case and package, or similar by {@link RelevanceScorer#fuzzyType()}); when
     * a context is given and the solution has one, their similarity must reach
     * {@link RelevanceConfig#solutionContextThreshold()} (a solution without a context is not
     * excluded, where Loom's 0/0 never matched); the message is scored lexically rather than by
     * Loom's substring test, so a reworded message still finds the fix.
     *
     * @param errorType the error type, e.g. {@code java.net.SocketTimeoutException}
     * @param message the message, or {@code null}
     * @param context the context, may be empty
     * @param filter filters and page (its kinds are replaced by solutions)
     * @return matching solutions, best first
     */
    public List<ScoredItem> solutionsFor(String errorType, @Nullable String message, Map<String, ?> context,
            MemoryQuery filter) {
        return engine.solutionsFor(errorType, message, context, filter);
    }

    /**
     * Reads the whole store again and, with an embedder, recomputes and saves every vector (also
     * replacing stored vectors that could not be read). {@code optimize index} calls it.
     */
    public void rebuild() {
        engine.rebuild();
    }

    /** Saves vectors that changed since the last save (with an embedder and a writable store). */
    public void flush() {
        engine.saveVectors();
    }

    /** @return the scoring settings */
    public RelevanceConfig config() {
        return engine.config();
    }

    /** @return the embedder, if semantic scoring is on */
    public java.util.Optional<Embedder> embedder() {
        return engine.embedder();
    }

    /** @return how many items are indexed */
    public int indexedItems() {
        return engine.indexedItems();
    }

    /** Saves changed vectors, as {@link #flush()}. The store stays open. */
    @Override
    public void close() {
        engine.saveVectors();
    }

    /**
     * Builds a {@link Retrieval}. Each option may be set once (a second call throws
     * {@link IllegalStateException} naming the value already set).
     */
    public static final class Builder {
        private final MemoryStore store;
        private @Nullable RelevanceConfig config;
        private @Nullable Clock clock;
        private @Nullable Embedder embedder;
        private @Nullable VectorPersistence vectors;
        private final List<RetrievalEngine.Weighted> scorers = new ArrayList<>();

        private Builder(MemoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        private static void requireUnset(@Nullable Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        /**
         * @param newConfig scoring settings (default {@link RelevanceConfig#defaults()})
         * @return this builder
         */
        public Builder config(RelevanceConfig newConfig) {
            requireUnset(config, "config");
            config = Objects.requireNonNull(newConfig, "config");
            return this;
        }

        /**
         * @param newClock the ranking time for item weights (default: system UTC)
         * @return this builder
         */
        public Builder clock(Clock newClock) {
            requireUnset(clock, "clock");
            clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /**
         * @param newEmbedder turns on semantic scoring and hybrid ranking (default: none, lexical only)
         * @return this builder
         */
        public Builder embedder(Embedder newEmbedder) {
            requireUnset(embedder == null ? null : embedder.modelId(), "embedder");
            embedder = Objects.requireNonNull(newEmbedder, "embedder");
            return this;
        }

        /**
         * @param newEmbedder the embedder, or {@code null} to leave semantic scoring off (an option
         *     passed through from another builder)
         * @return this builder
         */
        public Builder embedderIfAny(@Nullable Embedder newEmbedder) {
            return newEmbedder == null ? this : embedder(newEmbedder);
        }

        /**
         * @param persistence where vectors are kept between runs (default {@link VectorPersistence#none()})
         * @return this builder
         */
        public Builder vectors(VectorPersistence persistence) {
            requireUnset(vectors == null ? null : vectors.describe(), "vectors");
            vectors = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /**
         * Adds a scorer after the built-in ones.
         *
         * @param scorer the scorer; its name must differ from every other scorer's
         * @param weight its weight in the relevance mean, ≥ 0
         * @return this builder
         */
        public Builder scorer(RelevanceScorer scorer, double weight) {
            scorers.add(new RetrievalEngine.Weighted(scorer, weight));
            return this;
        }

        /**
         * Loads the indexes from the store (and stored vectors, if any).
         *
         * @return the retrieval
         * @throws IllegalArgumentException if two scorers share a name
         */
        public Retrieval build() {
            return new Retrieval(new RetrievalEngine(store, clock != null ? clock : Clock.systemUTC(),
                    config != null ? config : RelevanceConfig.defaults(), scorers, embedder,
                    vectors != null ? vectors : VectorPersistence.none()));
        }
    }
}
