package dev.aml.maintenance;

/**
 * The query cache's counters since the manager opened. Hits are exact for the first 512 queries and
 * then an unbiased estimate from a uniform one-in-64 sample (see {@link QueryStats}); misses and
 * evictions are exact.
 *
 * @param hitCount lookups answered from the cache (estimated after the first 512 queries)
 * @param missCount lookups that had to be computed (a write to an agent makes its next lookups miss)
 * @param evictionCount results evicted by the size bound
 * @param size approximate number of cached results
 * @param maximumSize the configured bound; 0 when the cache is off
 */
public record CacheStats(long hitCount, long missCount, long evictionCount, long size, long maximumSize) {

    /** @return hits / (hits + misses), or 0 when there were no lookups */
    public double hitRate() {
        long lookups = hitCount + missCount;
        return lookups == 0 ? 0 : (double) hitCount / lookups;
    }
}
