package dev.aml.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import dev.aml.core.relevance.Situation;
import org.jspecify.annotations.Nullable;

/**
 * A filtered, ranked query over memory items: which kinds and agents, which tags, text, thresholds
 * and time windows, in which order, and which page. Queries are immutable, normalized values (sets
 * instead of lists, lower-cased text), so two queries that ask the same thing are {@code equal} and
 * share one cache entry.
 *
 * <p>Build one with {@link #patterns()}, {@link #solutions()}, {@link #decisions()} or
 * {@link #builder()}:
 * <pre>{@code
 * MemoryQuery q = MemoryQuery.patterns().agents("coder").tags("http")
 *         .minSuccessRate(0.6).rankBy(Rank.WEIGHT).limit(10).build();
 * }</pre>
 *
 * <p>The query caches its hash code: it is the key of the query cache, looked up on every call.
 *
 * <p>Semantics of every filter are those of {@link #matches(AgentId, MemoryItem)}. Items with the
 * same id in one agent's file of one kind (duplicates other tools may have written) are seen once,
 * as the first occurrence, exactly as {@link MemoryStore#find} sees them.
 */
public final class MemoryQuery {

    /** Results returned when no limit is set. */
    public static final int DEFAULT_LIMIT = 100;

    private final Set<ItemKind> kinds;
    private final Set<AgentId> agents;
    private final Set<String> anyTags;
    private final Set<String> allTags;
    private final @Nullable String text;
    private final double minSuccessRate;
    private final double minConfidence;
    private final long minExecutions;
    private final boolean activeOnly;
    private final @Nullable Instant createdFrom;
    private final @Nullable Instant createdTo;
    private final @Nullable Instant lastUsedFrom;
    private final @Nullable Instant lastUsedTo;
    private final Rank rank;
    private final @Nullable Comparator<? super MemoryItem> order;
    private final int limit;
    private final int offset;
    private final @Nullable Situation situation;
    private final int hash;

    /**
     * Validates and normalizes; see the accessors for the meaning of each value.
     *
     * @throws IllegalArgumentException naming the field, the value and the allowed range
     */
    private MemoryQuery(Set<ItemKind> kinds, Set<AgentId> agents, Set<String> anyTags, Set<String> allTags,
            @Nullable String text, double minSuccessRate, double minConfidence, long minExecutions, boolean activeOnly,
            @Nullable Instant createdFrom, @Nullable Instant createdTo, @Nullable Instant lastUsedFrom,
            @Nullable Instant lastUsedTo, Rank rank, @Nullable Comparator<? super MemoryItem> order, int limit,
            int offset, @Nullable Situation situation) {
        kinds = Set.copyOf(Objects.requireNonNull(kinds, "kinds"));
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds must name at least one kind");
        }
        agents = Set.copyOf(Objects.requireNonNull(agents, "agents"));
        anyTags = Set.copyOf(Objects.requireNonNull(anyTags, "anyTags"));
        allTags = Set.copyOf(Objects.requireNonNull(allTags, "allTags"));
        if (text != null) {
            text = text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
        }
        requireRate("minSuccessRate", minSuccessRate);
        minSuccessRate += 0.0; // -0.0 becomes 0.0, so equal queries hash alike
        requireRate("minConfidence", minConfidence);
        minConfidence += 0.0;
        if (minExecutions < 0) {
            throw new IllegalArgumentException("minExecutions must be >= 0, was " + minExecutions);
        }
        requireWindow("created", createdFrom, createdTo);
        requireWindow("lastUsed", lastUsedFrom, lastUsedTo);
        Objects.requireNonNull(rank, "rank");
        if ((rank == Rank.CUSTOM) != (order != null)) {
            throw new IllegalArgumentException(rank == Rank.CUSTOM
                    ? "rank CUSTOM needs a comparator: use rankBy(Comparator)"
                    : "a comparator is only used with rank CUSTOM, rank was " + rank);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }

        this.kinds = kinds;
        this.agents = agents;
        this.anyTags = anyTags;
        this.allTags = allTags;
        this.text = text;
        this.minSuccessRate = minSuccessRate;
        this.minConfidence = minConfidence;
        this.minExecutions = minExecutions;
        this.activeOnly = activeOnly;
        this.createdFrom = createdFrom;
        this.createdTo = createdTo;
        this.lastUsedFrom = lastUsedFrom;
        this.lastUsedTo = lastUsedTo;
        this.rank = rank;
        this.order = order;
        this.limit = limit;
        this.offset = offset;
        this.situation = situation;
        this.hash = Objects.hash(kinds, agents, anyTags, allTags, text, minSuccessRate, minConfidence, minExecutions,
                activeOnly, createdFrom, createdTo, lastUsedFrom, lastUsedTo, rank, order, limit, offset, situation);
    }

    /** @return a builder over every kind */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder over patterns only */
    public static Builder patterns() {
        return new Builder().kinds(ItemKind.PATTERN);
    }

    /** @return a builder over solutions only */
    public static Builder solutions() {
        return new Builder().kinds(ItemKind.SOLUTION);
    }

    /** @return a builder over decisions only */
    public static Builder decisions() {
        return new Builder().kinds(ItemKind.DECISION);
    }

    /**
     * @return a builder that starts from this query's values; each option may still be set once
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param newAgents the agents to search (empty for all)
     * @return a copy of this query over those agents
     */
    public MemoryQuery withAgents(Set<AgentId> newAgents) {
        return new MemoryQuery(kinds, newAgents, anyTags, allTags, text, minSuccessRate, minConfidence,
                minExecutions, activeOnly, createdFrom, createdTo, lastUsedFrom, lastUsedTo, rank, order, limit,
                offset, situation);
    }

    /**
     * @param newKinds the kinds to search
     * @return a copy of this query over those kinds
     */
    public MemoryQuery withKinds(Set<ItemKind> newKinds) {
        return new MemoryQuery(newKinds, agents, anyTags, allTags, text, minSuccessRate, minConfidence,
                minExecutions, activeOnly, createdFrom, createdTo, lastUsedFrom, lastUsedTo, rank, order, limit,
                offset, situation);
    }

    /**
     * The filter of this query (kinds, agents, tags, text, thresholds, windows), without ranking or
     * paging. Every {@link IndexStrategy} must return exactly the items this accepts.
     *
     * @param agent the agent whose memory holds the item (not the item's own {@code agent} field)
     * @param item the item
     * @return whether the item is a result candidate
     */
    public boolean matches(AgentId agent, MemoryItem item) {
        if (!kinds.contains(item.kind()) || (!agents.isEmpty() && !agents.contains(agent))) {
            return false;
        }
        if (activeOnly && !item.active()) {
            return false;
        }
        if (!tagsMatch(item.tags())) {
            return false;
        }
        if (item.successRate() < minSuccessRate || item.confidence() < minConfidence
                || Math.max(0, item.executionCount()) < minExecutions) {
            return false;
        }
        if (!inWindow(item.timestamp(), createdFrom, createdTo) || !inWindow(item.lastUsed(), lastUsedFrom,
                lastUsedTo)) {
            return false;
        }
        return text == null || item.bodyContains(text);
    }

    /**
     * @param tags an item's tags
     * @return whether they satisfy {@link #anyTags()} and {@link #allTags()}
     */
    public boolean tagsMatch(List<String> tags) {
        if (!allTags.isEmpty() && !tags.containsAll(allTags)) {
            return false;
        }
        if (anyTags.isEmpty()) {
            return true;
        }
        for (int i = 0; i < tags.size(); i++) {
            if (anyTags.contains(tags.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inWindow(@Nullable Instant t, @Nullable Instant from, @Nullable Instant to) {
        if (from == null && to == null) {
            return true;
        }
        if (t == null) {
            return false;
        }
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static void requireRate(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + v);
        }
    }

    private static void requireWindow(String name, @Nullable Instant from, @Nullable Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException(name + " window is empty: from " + from + " is after to " + to);
        }
    }

    /** @return the kinds to search, never empty */
    public Set<ItemKind> kinds() {
        return kinds;
    }

    /** @return the agents to search; empty means every agent (the global view) */
    public Set<AgentId> agents() {
        return agents;
    }

    /** @return tags of which an item must have at least one; empty means no tag filter */
    public Set<String> anyTags() {
        return anyTags;
    }

    /** @return tags an item must all have; empty means no tag filter */
    public Set<String> allTags() {
        return allTags;
    }

    /** @return lower-cased text the item's body must contain (case-insensitive), or {@code null} */
    public @Nullable String text() {
        return text;
    }

    /** @return the lowest {@link MemoryItem#successRate()}, in [0, 1] */
    public double minSuccessRate() {
        return minSuccessRate;
    }

    /** @return the lowest {@link MemoryItem#confidence()}, in [0, 1] */
    public double minConfidence() {
        return minConfidence;
    }

    /** @return the lowest {@link MemoryItem#executionCount()} (negative counts read as 0), at least 0 */
    public long minExecutions() {
        return minExecutions;
    }

    /** @return whether inactive items are left out */
    public boolean activeOnly() {
        return activeOnly;
    }

    /** @return inclusive lower bound of {@link MemoryItem#timestamp()}, or {@code null} */
    public @Nullable Instant createdFrom() {
        return createdFrom;
    }

    /** @return exclusive upper bound of {@link MemoryItem#timestamp()}, or {@code null} */
    public @Nullable Instant createdTo() {
        return createdTo;
    }

    /** @return inclusive lower bound of {@link MemoryItem#lastUsed()}, or {@code null} */
    public @Nullable Instant lastUsedFrom() {
        return lastUsedFrom;
    }

    /** @return exclusive upper bound of {@link MemoryItem#lastUsed()}, or {@code null} */
    public @Nullable Instant lastUsedTo() {
        return lastUsedTo;
    }

    /** @return the order of results */
    public Rank rank() {
        return rank;
    }

    /** @return the caller's order when {@code rank} is {@link Rank#CUSTOM}, else {@code null} */
    public @Nullable Comparator<? super MemoryItem> order() {
        return order;
    }

    /** @return the most results to return, at least 1 */
    public int limit() {
        return limit;
    }

    /** @return how many of the best results to skip, at least 0 */
    public int offset() {
        return offset;
    }

    /**
     * @return the situation results must be relevant to, or {@code null} for a plain filtered query;
     *     with one, results are ranked by {@link dev.aml.core.relevance.Retrieval relevance} combined
     *     with weight instead of by {@link #rank()}
     */
    public @Nullable Situation situation() {
        return situation;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof MemoryQuery q && q.hash == hash && sameAs(q);
    }

    /** The field by field comparison, apart so that {@link #equals} stays small enough to inline on lookups. */
    private boolean sameAs(MemoryQuery q) {
        return q.minSuccessRate == minSuccessRate && q.minConfidence == minConfidence
                && q.minExecutions == minExecutions && q.activeOnly == activeOnly && q.limit == limit
                && q.offset == offset && q.rank == rank && q.kinds.equals(kinds)
                && q.agents.equals(agents) && q.anyTags.equals(anyTags) && q.allTags.equals(allTags)
                && Objects.equals(q.text, text) && Objects.equals(q.createdFrom, createdFrom)
                && Objects.equals(q.createdTo, createdTo) && Objects.equals(q.lastUsedFrom, lastUsedFrom)
                && Objects.equals(q.lastUsedTo, lastUsedTo) && Objects.equals(q.order, order)
                && Objects.equals(q.situation, situation);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "MemoryQuery[kinds=" + kinds + ", agents=" + agents + ", anyTags=" + anyTags + ", allTags=" + allTags
                + ", text=" + text + ", minSuccessRate=" + minSuccessRate + ", minConfidence=" + minConfidence
                + ", minExecutions=" + minExecutions + ", activeOnly=" + activeOnly + ", created=" + createdFrom + ".."
                + createdTo + ", lastUsed=" + lastUsedFrom + ".." + lastUsedTo + ", rank=" + rank
                + (order == null ? "" : ", order=" + order) + ", limit=" + limit + ", offset=" + offset
                + (situation == null ? "" : ", relevantTo=" + situation) + "]";
    }

    /**
     * Builds a {@link MemoryQuery}. Each option may be set once (a second call throws
     * {@link IllegalStateException} naming the value already set); values are checked by {@link #build()}
     * and by the setters where a single argument is already wrong.
     */
    public static final class Builder {
        private Set<ItemKind> kinds = EnumSet.allOf(ItemKind.class);
        private Set<AgentId> agents = Set.of();
        private Set<String> anyTags = Set.of();
        private Set<String> allTags = Set.of();
        private @Nullable String text;
        private double minSuccessRate;
        private double minConfidence;
        private long minExecutions;
        private boolean activeOnly = true;
        private @Nullable Instant createdFrom;
        private @Nullable Instant createdTo;
        private @Nullable Instant lastUsedFrom;
        private @Nullable Instant lastUsedTo;
        private Rank rank = Rank.WEIGHT;
        private @Nullable Comparator<? super MemoryItem> order;
        private int limit = DEFAULT_LIMIT;
        private int offset;
        private @Nullable Situation situation;
        private final EnumSet<Option> set = EnumSet.noneOf(Option.class);

        private enum Option { KINDS, AGENTS, ANY_TAGS, ALL_TAGS, TEXT, MIN_SUCCESS, MIN_CONFIDENCE, MIN_EXECUTIONS,
            ACTIVE, CREATED, LAST_USED, RANK, LIMIT, OFFSET, SITUATION }

        private Builder() {
        }

        private Builder(MemoryQuery q) {
            kinds = q.kinds;
            agents = q.agents;
            anyTags = q.anyTags;
            allTags = q.allTags;
            text = q.text;
            minSuccessRate = q.minSuccessRate;
            minConfidence = q.minConfidence;
            minExecutions = q.minExecutions;
            activeOnly = q.activeOnly;
            createdFrom = q.createdFrom;
            createdTo = q.createdTo;
            lastUsedFrom = q.lastUsedFrom;
            lastUsedTo = q.lastUsedTo;
            rank = q.rank;
            order = q.order;
            limit = q.limit;
            offset = q.offset;
            situation = q.situation;
        }

        private void once(Option option, Object current) {
            if (!set.add(option)) {
                throw new IllegalStateException(option.name().toLowerCase(Locale.ROOT) + " was already set to "
                        + current);
            }
        }

        /**
         * @param newKinds the kinds to search (default: all)
         * @return this builder
         */
        public Builder kinds(ItemKind... newKinds) {
            once(Option.KINDS, kinds);
            kinds = EnumSet.noneOf(ItemKind.class);
            kinds.addAll(Arrays.asList(newKinds));
            return this;
        }

        /**
         * @param names the agents to search (default: all agents)
         * @return this builder
         * @throws InvalidInputException if a name is not a valid agent name
         */
        public Builder agents(String... names) {
            return agents(Arrays.stream(names).map(AgentId::of).collect(Collectors.toList()));
        }

        /**
         * @param ids the agents to search (default: all agents)
         * @return this builder
         */
        public Builder agents(Collection<AgentId> ids) {
            once(Option.AGENTS, agents);
            agents = Set.copyOf(ids);
            return this;
        }

        /**
         * Same as {@link #anyTags(String...)}.
         *
         * @param tags results must have at least one of these tags
         * @return this builder
         */
        public Builder tags(String... tags) {
            return anyTags(tags);
        }

        /**
         * @param tags results must have at least one of these tags
         * @return this builder
         */
        public Builder anyTags(String... tags) {
            once(Option.ANY_TAGS, anyTags);
            anyTags = Set.copyOf(Arrays.asList(tags));
            return this;
        }

        /**
         * @param tags results must have every one of these tags
         * @return this builder
         */
        public Builder allTags(String... tags) {
            once(Option.ALL_TAGS, allTags);
            allTags = Set.copyOf(Arrays.asList(tags));
            return this;
        }

        /**
         * @param newText text the body must contain, case-insensitively (an empty text matches all)
         * @return this builder
         */
        public Builder textContains(String newText) {
            once(Option.TEXT, String.valueOf(text));
            text = Objects.requireNonNull(newText, "text");
            return this;
        }

        /**
         * @param min lowest success rate, in [0, 1] (default 0)
         * @return this builder
         */
        public Builder minSuccessRate(double min) {
            once(Option.MIN_SUCCESS, minSuccessRate);
            minSuccessRate = min;
            return this;
        }

        /**
         * @param min lowest confidence, in [0, 1] (default 0)
         * @return this builder
         */
        public Builder minConfidence(double min) {
            once(Option.MIN_CONFIDENCE, minConfidence);
            minConfidence = min;
            return this;
        }

        /**
         * @param min lowest execution count, at least 0 (default 0)
         * @return this builder
         */
        public Builder minExecutions(long min) {
            once(Option.MIN_EXECUTIONS, minExecutions);
            minExecutions = min;
            return this;
        }

        /**
         * @param only whether to leave inactive items out (default {@code true})
         * @return this builder
         */
        public Builder activeOnly(boolean only) {
            once(Option.ACTIVE, activeOnly);
            activeOnly = only;
            return this;
        }

        /**
         * @param from inclusive lower bound of the item's timestamp, or {@code null} for none
         * @param to exclusive upper bound, or {@code null} for none
         * @return this builder
         */
        public Builder createdBetween(@Nullable Instant from, @Nullable Instant to) {
            once(Option.CREATED, createdFrom + ".." + createdTo);
            createdFrom = from;
            createdTo = to;
            return this;
        }

        /**
         * @param from inclusive lower bound of the item's last use, or {@code null} for none
         * @param to exclusive upper bound, or {@code null} for none
         * @return this builder
         */
        public Builder lastUsedBetween(@Nullable Instant from, @Nullable Instant to) {
            once(Option.LAST_USED, lastUsedFrom + ".." + lastUsedTo);
            lastUsedFrom = from;
            lastUsedTo = to;
            return this;
        }

        /**
         * @param newRank the order of results (default {@link Rank#WEIGHT}); use
         *     {@link #rankBy(Comparator)} for a custom order
         * @return this builder
         */
        public Builder rankBy(Rank newRank) {
            Objects.requireNonNull(newRank, "rank");
            if (newRank == Rank.CUSTOM) {
                throw new IllegalArgumentException("use rankBy(Comparator) for a custom order");
            }
            once(Option.RANK, rank);
            rank = newRank;
            order = null;
            return this;
        }

        /**
         * @param comparator orders results, best first; ties are then broken by agent, kind and id.
         *     Queries are cached by equality, so reuse one comparator instance for repeated queries.
         * @return this builder
         */
        public Builder rankBy(Comparator<? super MemoryItem> comparator) {
            once(Option.RANK, rank);
            order = Objects.requireNonNull(comparator, "comparator");
            rank = Rank.CUSTOM;
            return this;
        }

        /**
         * @param max the most results to return, at least 1 (default {@value MemoryQuery#DEFAULT_LIMIT})
         * @return this builder
         */
        public Builder limit(int max) {
            once(Option.LIMIT, limit);
            limit = max;
            return this;
        }

        /**
         * Makes this a relevance query: results are the items that match the situation, ranked by
         * the combined score of relevance and weight ({@link dev.aml.core.relevance.RelevanceConfig});
         * every other filter still applies. Run it with {@link dev.aml.core.relevance.Retrieval#query}
         * (or {@code MemoryManager.query}, which routes it there).
         *
         * @param newSituation what the agent faces
         * @return this builder
         */
        public Builder relevantTo(Situation newSituation) {
            once(Option.SITUATION, situation);
            situation = Objects.requireNonNull(newSituation, "situation");
            return this;
        }

        /**
         * @param skip how many of the best results to skip (default 0)
         * @return this builder
         */
        public Builder offset(int skip) {
            once(Option.OFFSET, offset);
            offset = skip;
            return this;
        }

        /**
         * @return the query
         * @throws IllegalArgumentException if a value is out of range
         */
        public MemoryQuery build() {
            if (situation != null && rank != Rank.WEIGHT) {
                throw new IllegalArgumentException("relevantTo ranks by relevance combined with weight; rank "
                        + rank + " cannot be combined with it (leave the rank unset)");
            }
            return new MemoryQuery(kinds, agents, anyTags, allTags, text, minSuccessRate, minConfidence,
                    minExecutions, activeOnly, createdFrom, createdTo, lastUsedFrom, lastUsedTo, rank, order, limit,
                    offset, situation);
        }
    }
}
