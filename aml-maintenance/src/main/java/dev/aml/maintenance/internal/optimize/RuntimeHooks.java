package dev.aml.maintenance.internal.optimize;

import dev.aml.core.MemoryQuery;

/** What optimization needs from the live runtime: its query index and query cache. */
public interface RuntimeHooks {

    /** Rebuilds the in-memory query index from the store and empties the query cache. */
    void rebuildIndex();

    /**
     * Runs a query so that its result lands in the query cache.
     *
     * @param query the query
     */
    void warm(MemoryQuery query);

    /** @return how many query results the cache holds at most; 0 when there is no cache */
    long cacheCapacity();

    /** @return hooks for a memory without a runtime index or cache: nothing to rebuild or warm */
    static RuntimeHooks none() {
        return new RuntimeHooks() {
            @Override
            public void rebuildIndex() {
            }

            @Override
            public void warm(MemoryQuery query) {
            }

            @Override
            public long cacheCapacity() {
                return 0;
            }
        };
    }
}
