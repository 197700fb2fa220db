package dev.aml.maintenance;

/**
 * Live counters of the query path since the manager opened, read by monitoring and the advisor.
 *
 * @param queries queries answered
 * @param avgQueryMillis mean latency of all queries, cached or not, in milliseconds
 * @param p95QueryMillis 95th percentile latency in milliseconds (estimated from a bounded sample)
 * @param cacheHits queries answered from the cache
 * @param cacheMisses queries that had to be computed
 */
public record QueryStats(long queries, double avgQueryMillis, double p95QueryMillis, long cacheHits,
        long cacheMisses) {

    /** Nothing measured yet. */
    public static final QueryStats EMPTY = new QueryStats(0, 0, 0, 0, 0);

    /** @return hits / (hits + misses), or 0 when there were no lookups */
    public double cacheHitRate() {
        long lookups = cacheHits + cacheMisses;
        return lookups == 0 ? 0 : (double) cacheHits / lookups;
    }
}
