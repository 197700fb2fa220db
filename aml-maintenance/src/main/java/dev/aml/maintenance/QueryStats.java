package dev.aml.maintenance;

/**
 * Live counters of the query path since the manager opened, read by monitoring and the advisor.
 *
 * <p>Everything is exact for the first 512 queries. After that, counting every cache hit exactly would
 * cost a shared atomic write per query, a third of a hit's time, so hits are counted on a uniform
 * random sample of one query in 64, each sampled hit counting 64: an unbiased estimate whose relative
 * error is about {@code sqrt(64 / hits)} (under 1 % after a million hits). Misses are always exact.
 * Latency is measured on a uniform random sample of one query in 256.
 *
 * @param queries queries answered: {@code cacheHits + cacheMisses}
 * @param avgQueryMillis mean latency of all queries, cached or not, in milliseconds (estimated from
 *     a uniform sample)
 * @param p95QueryMillis 95th percentile latency in milliseconds (estimated from the same sample)
 * @param cacheHits queries answered from the cache (estimated after the first 512 queries)
 * @param cacheMisses queries that had to be computed (exact)
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
