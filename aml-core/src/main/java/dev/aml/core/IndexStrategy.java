package dev.aml.core;

import dev.aml.core.internal.DefaultIndex;
import dev.aml.core.internal.ScanIndex;

/**
 * How queries find their results: a plug-in that builds a {@link QueryIndex} over a store.
 *
 * <p>Two strategies are built in: {@link #defaultIndex()}, which answers the common queries without
 * looking at every item, and {@link #scan()}, which reads and ranks every item and serves as the
 * simple baseline. Both return exactly the same results for every query; a user strategy must too
 * (run it against {@code scan()} in a property test).
 */
public interface IndexStrategy {

    /**
     * The default: per agent and kind, items bucketed by last use and sorted by the time-independent
     * part of their weight, with the same structure per tag, so a top-k query by weight stops after
     * a few dozen items (see {@code dev.aml.core.internal.DefaultIndex} for the design).
     *
     * @return the default strategy
     */
    static IndexStrategy defaultIndex() {
        return DefaultIndex.STRATEGY;
    }

    /**
     * The baseline: every query reads every candidate item from the store, filters and ranks it.
     * Needs no memory of its own; fine for small memories and as a reference.
     *
     * @return the scan strategy
     */
    static IndexStrategy scan() {
        return ScanIndex.STRATEGY;
    }

    /** @return a short name for messages and benchmarks, e.g. {@code "default"} or {@code "scan"} */
    String name();

    /**
     * Creates an empty index over {@code store}. The caller then registers for the store's changes,
     * calls {@link QueryIndex#rebuild()} once, and from then on forwards every change with
     * {@link QueryIndex#changed}; changes may arrive before and during that first rebuild.
     *
     * @param store the store the index reads from
     * @return the index
     */
    QueryIndex create(MemoryStore store);
}
