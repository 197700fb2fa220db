package dev.aml.maintenance.monitor;

import dev.aml.maintenance.QueryStats;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Query latency and cache hit rate, from the live counters of the query path and never invented:
 * a process that answered queries reports its own counters ({@link Source#LIVE}) and saves them in
 * {@code monitoring/performance.json}; a process that answered none (the CLI) reports the last saved
 * counters ({@link Source#PERSISTED}, with their time); when no process ever recorded any, there is
 * no data ({@link Source#NONE}) and the values are absent rather than a fake 0 %.
 *
 * @param source where the numbers come from
 * @param measuredAt when the counters were read, {@code null} for {@link Source#NONE}
 * @param stats the counters ({@link QueryStats#EMPTY} for {@link Source#NONE})
 */
public record QueryPerformance(Source source, @Nullable Instant measuredAt, QueryStats stats) {

    /** Where the numbers come from. */
    public enum Source {
        /** The counters of this process's query path. */
        LIVE,
        /** The last counters another process saved in {@code monitoring/performance.json}. */
        PERSISTED,
        /** No queries were ever recorded. */
        NONE
    }

    /** No data. */
    public static final QueryPerformance NONE = new QueryPerformance(Source.NONE, null, QueryStats.EMPTY);

    /** Rejects nulls and a missing time for measured data. */
    public QueryPerformance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stats, "stats");
        if (source != Source.NONE && measuredAt == null) {
            throw new IllegalArgumentException("measuredAt is required for " + source + " performance data");
        }
    }

    /** @return whether any query was measured */
    public boolean hasQueries() {
        return source != Source.NONE && stats.queries() > 0;
    }

    /** @return the mean query time in ms, absent without data */
    public Optional<Double> avgQueryMillis() {
        return hasQueries() ? Optional.of(stats.avgQueryMillis()) : Optional.empty();
    }

    /** @return the 95th percentile query time in ms, absent without data */
    public Optional<Double> p95QueryMillis() {
        return hasQueries() ? Optional.of(stats.p95QueryMillis()) : Optional.empty();
    }

    /** @return the cache hit rate, absent when the cache saw no lookups */
    public Optional<Double> cacheHitRate() {
        return source != Source.NONE && stats.cacheHits() + stats.cacheMisses() > 0
                ? Optional.of(stats.cacheHitRate()) : Optional.empty();
    }
}
