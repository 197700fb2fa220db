package dev.aml.core;

import java.time.Instant;
import java.util.List;

/**
 * An index built by an {@link IndexStrategy}: answers {@link MemoryQuery queries} over one store
 * and follows its changes. Implementations are thread-safe: queries, changes and rebuilds may come
 * from many threads at once.
 */
public interface QueryIndex {

    /**
     * Answers a query: the items {@link MemoryQuery#matches} accepts, ordered by the query's rank at
     * {@code now} (best first, ties by agent, kind, id), after skipping {@code offset} of them, at
     * most {@code limit}.
     *
     * @param query the query
     * @param now the ranking time (weights decay with time)
     * @return an immutable list of results
     * @throws CorruptDataException if the query names an agent whose memory could not be read
     *     (queries over every agent leave such agents out; monitoring reports them)
     */
    List<MemoryItem> query(MemoryQuery query, Instant now);

    /**
     * Called after the store applied changes (from {@link MemoryStore#addChangeListener}). The index
     * must reflect at least the store's state at the time of the call when it returns. Changes may
     * be delivered out of order by concurrent writers, so implementations should re-read what the
     * changes touched instead of trusting their payload.
     *
     * @param changes the changes the store applied
     */
    void changed(List<Change> changes);

    /** Discards everything and reads the store again (also the first load). */
    void rebuild();
}
