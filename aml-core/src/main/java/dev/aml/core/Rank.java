package dev.aml.core;

/**
 * How a {@link MemoryQuery} orders its results. Every order is best first; ties are broken by agent
 * name, then kind, then id, so the same data and query always give the same list.
 */
public enum Rank {
    /**
     * The kind's weight formula ({@link MemoryItem#weight}), evaluated at the query's ranking time;
     * the default. It mixes success, confidence, usage and a recency term that decays with time.
     */
    WEIGHT,
    /** {@link MemoryItem#successRate()}, highest first. */
    SUCCESS_RATE,
    /** {@link MemoryItem#confidence()}, highest first. */
    CONFIDENCE,
    /** {@link MemoryItem#lastUsed()}, most recent first; items with no known time come last. */
    RECENCY,
    /** {@link MemoryItem#executionCount()}, most used first. */
    USAGE,
    /** A caller's {@code Comparator}, given with {@link MemoryQuery.Builder#rankBy(java.util.Comparator)}. */
    CUSTOM;

    /** @return whether results in this order can change with time alone (no write in between) */
    public boolean timeDependent() {
        return this == WEIGHT;
    }
}
