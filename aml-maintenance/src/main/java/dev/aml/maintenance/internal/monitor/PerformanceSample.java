package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.QueryPerformance;
import java.util.Optional;

/**
 * Whether the query counters are a measurement yet. A cache hit rate or an average query time from a
 * handful of queries says nothing (one query against a fresh tree is a 0 % hit rate), so health,
 * alerts and the advisor judge them only from {@link MonitorConfig#minQueriesForPerformance()}
 * queries (time) or cache lookups (hit rate) on; until then they report how far the sample is.
 *
 * @param queries the queries measured
 * @param lookups the cache lookups measured (hits + misses)
 * @param minimum the sample each needs
 */
record PerformanceSample(long queries, long lookups, long minimum) {

    static PerformanceSample of(QueryPerformance p, MonitorConfig config) {
        boolean any = p.source() != QueryPerformance.Source.NONE;
        return new PerformanceSample(any ? p.stats().queries() : 0,
                any ? p.stats().cacheHits() + p.stats().cacheMisses() : 0, config.minQueriesForPerformance());
    }

    /** @return whether the average query time may be judged */
    boolean judgesTime() {
        return queries >= minimum;
    }

    /** @return whether the cache hit rate may be judged */
    boolean judgesHitRate() {
        return lookups >= minimum;
    }

    /** @return the rate when it may be judged */
    Optional<Double> judgedHitRate(QueryPerformance p) {
        return judgesHitRate() ? p.cacheHitRate() : Optional.empty();
    }

    /** @return the average query time when it may be judged */
    Optional<Double> judgedAvgQueryMillis(QueryPerformance p) {
        return judgesTime() ? p.avgQueryMillis() : Optional.empty();
    }

    /** @return e.g. "not enough queries yet (1 of 100)", empty once both are judged */
    Optional<String> shortfall() {
        if (judgesTime() && judgesHitRate()) {
            return Optional.empty();
        }
        String what = !judgesTime() && !judgesHitRate() ? "query time and cache hit rate"
                : judgesTime() ? "cache hit rate" : "query time";
        long n = !judgesTime() ? queries : lookups;
        return Optional.of("not enough queries yet (" + n + " of " + minimum + ") to judge the " + what);
    }
}
