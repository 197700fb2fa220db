package dev.aml.maintenance.monitor;

import dev.aml.core.internal.SetOnce;
import dev.aml.maintenance.PruneConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Thresholds and limits of monitoring, with the quick reference's defaults. Every threshold is used:
 * memory and query thresholds drive the health checks, pattern thresholds and all of them drive
 * alerts, and the advisor reads the same record.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>warning</th><th>critical</th></tr>
 *   <tr><td>agent memory</td><td>60 MB</td><td>80 MB</td></tr>
 *   <tr><td>global memory</td><td>600 MB</td><td>800 MB</td></tr>
 *   <tr><td>pattern age (days since last use)</td><td>60 days</td><td>90 days</td></tr>
 *   <tr><td>pattern success rate</td><td>30 %</td><td>20 %</td></tr>
 *   <tr><td>average query time</td><td>50 ms</td><td>100 ms</td></tr>
 *   <tr><td>cache hit rate</td><td>60 %</td><td>50 %</td></tr>
 * </table>
 * Index and backup are fresh for 24 h; resolved alerts are kept 7 days; the metrics history keeps
 * the last 1000 entries; success rates are judged only for patterns with at least 3 executions; query
 * time and cache hit rate only from 100 queries (cache lookups) on.
 * MB means MiB (1,048,576 bytes), as in Loom's tools.
 *
 * @param agentMemoryMb size of the largest agent, in MiB
 * @param globalMemoryMb total size of all item files, in MiB
 * @param patternAgeDays whole days since a pattern was last used
 * @param successRate a pattern's success rate, in [0, 1]
 * @param queryTimeMillis average query latency, in milliseconds
 * @param cacheHitRate query cache hit rate, in [0, 1]
 * @param indexMaxAge age after which {@code global/index.json} counts as stale
 * @param backupMaxAge age after which the newest verified backup is too old
 * @param alertRetention how long resolved alerts are kept in {@code alerts.json}
 * @param metricsHistoryLimit entries kept in {@code metrics.json}
 * @param minExecutionsForSuccessRate executions a pattern needs before its success rate is judged
 * @param minQueriesForPerformance queries (for the average query time) and cache lookups (for the hit
 *     rate) measured before health, alerts and the advisor judge them; fewer say "not enough queries
 *     yet (n of m)" and count as healthy, since a rate from a handful of queries is not a measurement
 * @param metricsSink where each snapshot is also published (for Micrometer and the like)
 */
public record MonitorConfig(Threshold agentMemoryMb, Threshold globalMemoryMb, Threshold patternAgeDays,
        Threshold successRate, Threshold queryTimeMillis, Threshold cacheHitRate, Duration indexMaxAge,
        Duration backupMaxAge, Duration alertRetention, int metricsHistoryLimit, long minExecutionsForSuccessRate,
        long minQueriesForPerformance, MetricsSink metricsSink) {

    /** Default agent memory levels, MiB. */
    public static final Threshold DEFAULT_AGENT_MEMORY_MB = Threshold.atLeast(60, 80);
    /** Default global memory levels, MiB. */
    public static final Threshold DEFAULT_GLOBAL_MEMORY_MB = Threshold.atLeast(600, 800);
    /** Default pattern age levels, days. */
    public static final Threshold DEFAULT_PATTERN_AGE_DAYS = Threshold.atLeast(60, 90);
    /** Default success rate levels. */
    public static final Threshold DEFAULT_SUCCESS_RATE = Threshold.below(0.30, 0.20);
    /** Default query time levels, ms. */
    public static final Threshold DEFAULT_QUERY_TIME_MILLIS = Threshold.atLeast(50, 100);
    /** Default cache hit rate levels. */
    public static final Threshold DEFAULT_CACHE_HIT_RATE = Threshold.below(0.60, 0.50);
    /** Default index freshness. */
    public static final Duration DEFAULT_INDEX_MAX_AGE = Duration.ofHours(24);
    /** Default backup freshness. */
    public static final Duration DEFAULT_BACKUP_MAX_AGE = Duration.ofHours(24);
    /** Default retention of resolved alerts. */
    public static final Duration DEFAULT_ALERT_RETENTION = Duration.ofDays(7);
    /** Default metrics history cap (as Loom's monitor). */
    public static final int DEFAULT_METRICS_HISTORY_LIMIT = 1000;
    /** Default executions before a success rate is judged (PruneConfig's {@code min_execution_count}). */
    public static final long DEFAULT_MIN_EXECUTIONS = 3;
    /** Default sample (queries, cache lookups) before query time and cache hit rate are judged. */
    public static final long DEFAULT_MIN_QUERIES_FOR_PERFORMANCE = 100;

    private static final MonitorConfig DEFAULTS = new MonitorConfig(DEFAULT_AGENT_MEMORY_MB,
            DEFAULT_GLOBAL_MEMORY_MB, DEFAULT_PATTERN_AGE_DAYS, DEFAULT_SUCCESS_RATE, DEFAULT_QUERY_TIME_MILLIS,
            DEFAULT_CACHE_HIT_RATE, DEFAULT_INDEX_MAX_AGE, DEFAULT_BACKUP_MAX_AGE, DEFAULT_ALERT_RETENTION,
            DEFAULT_METRICS_HISTORY_LIMIT, DEFAULT_MIN_EXECUTIONS, DEFAULT_MIN_QUERIES_FOR_PERFORMANCE,
            MetricsSink.none());

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field, the value and the allowed range
     * @throws NullPointerException if a field is null
     */
    public MonitorConfig {
        higherIsWorse("agentMemoryMb", agentMemoryMb);
        higherIsWorse("globalMemoryMb", globalMemoryMb);
        higherIsWorse("patternAgeDays", patternAgeDays);
        higherIsWorse("queryTimeMillis", queryTimeMillis);
        rate("successRate", successRate);
        rate("cacheHitRate", cacheHitRate);
        positive("indexMaxAge", indexMaxAge);
        positive("backupMaxAge", backupMaxAge);
        positive("alertRetention", alertRetention);
        if (metricsHistoryLimit < 1) {
            throw new IllegalArgumentException("metricsHistoryLimit must be at least 1, got " + metricsHistoryLimit);
        }
        if (minExecutionsForSuccessRate < 0) {
            throw new IllegalArgumentException("minExecutionsForSuccessRate must be >= 0, got "
                    + minExecutionsForSuccessRate);
        }
        if (minQueriesForPerformance < 1) {
            throw new IllegalArgumentException("minQueriesForPerformance must be at least 1, got "
                    + minQueriesForPerformance);
        }
        Objects.requireNonNull(metricsSink, "metricsSink");
    }

    /** @return the quick reference's thresholds */
    public static MonitorConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** @return a builder starting from this config */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void higherIsWorse(String field, Threshold t) {
        Objects.requireNonNull(t, field);
        if (!t.higherIsWorse() || t.warning() <= 0) {
            throw new IllegalArgumentException(field + " must be a positive 'higher is worse' threshold, got " + t);
        }
    }

    private static void rate(String field, Threshold t) {
        Objects.requireNonNull(t, field);
        if (t.higherIsWorse() || t.warning() > 1 || t.critical() < 0) {
            throw new IllegalArgumentException(field + " must be a 'lower is worse' threshold within [0, 1], got " + t);
        }
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + d);
        }
    }

    /** Builds a {@link MonitorConfig}; each option may be set once, validation happens at {@link #build()}. */
    public static final class Builder {
        private final SetOnce set = new SetOnce();
        private Threshold agentMemoryMb;
        private Threshold globalMemoryMb;
        private Threshold patternAgeDays;
        private Threshold successRate;
        private Threshold queryTimeMillis;
        private Threshold cacheHitRate;
        private Duration indexMaxAge;
        private Duration backupMaxAge;
        private Duration alertRetention;
        private int metricsHistoryLimit;
        private long minExecutionsForSuccessRate;
        private long minQueriesForPerformance;
        private MetricsSink metricsSink;

        private Builder(MonitorConfig from) {
            agentMemoryMb = from.agentMemoryMb;
            globalMemoryMb = from.globalMemoryMb;
            patternAgeDays = from.patternAgeDays;
            successRate = from.successRate;
            queryTimeMillis = from.queryTimeMillis;
            cacheHitRate = from.cacheHitRate;
            indexMaxAge = from.indexMaxAge;
            backupMaxAge = from.backupMaxAge;
            alertRetention = from.alertRetention;
            metricsHistoryLimit = from.metricsHistoryLimit;
            minExecutionsForSuccessRate = from.minExecutionsForSuccessRate;
            minQueriesForPerformance = from.minQueriesForPerformance;
            metricsSink = from.metricsSink;
        }

        private void once(String option, Object value) {
            Objects.requireNonNull(value, option);
            set.set(option, value);
        }

        /**
         * @param warningMb warning level in MiB (default 60)
         * @param criticalMb critical level in MiB (default 80)
         * @return this builder
         */
        public Builder agentMemoryMb(double warningMb, double criticalMb) {
            agentMemoryMb = Threshold.atLeast(warningMb, criticalMb);
            once("agentMemoryMb", agentMemoryMb);
            return this;
        }

        /**
         * @param warningMb warning level in MiB (default 600)
         * @param criticalMb critical level in MiB (default 800)
         * @return this builder
         */
        public Builder globalMemoryMb(double warningMb, double criticalMb) {
            globalMemoryMb = Threshold.atLeast(warningMb, criticalMb);
            once("globalMemoryMb", globalMemoryMb);
            return this;
        }

        /**
         * @param warningDays warning level in days (default 60)
         * @param criticalDays critical level in days (default 90)
         * @return this builder
         */
        public Builder patternAgeDays(double warningDays, double criticalDays) {
            patternAgeDays = Threshold.atLeast(warningDays, criticalDays);
            once("patternAgeDays", patternAgeDays);
            return this;
        }

        /**
         * @param warning warning level, a fraction (default 0.30)
         * @param critical critical level, a fraction (default 0.20)
         * @return this builder
         */
        public Builder successRate(double warning, double critical) {
            successRate = Threshold.below(warning, critical);
            once("successRate", successRate);
            return this;
        }

        /**
         * @param warningMillis warning level in ms (default 50)
         * @param criticalMillis critical level in ms (default 100)
         * @return this builder
         */
        public Builder queryTimeMillis(double warningMillis, double criticalMillis) {
            queryTimeMillis = Threshold.atLeast(warningMillis, criticalMillis);
            once("queryTimeMillis", queryTimeMillis);
            return this;
        }

        /**
         * @param warning warning level, a fraction (default 0.60)
         * @param critical critical level, a fraction (default 0.50)
         * @return this builder
         */
        public Builder cacheHitRate(double warning, double critical) {
            cacheHitRate = Threshold.below(warning, critical);
            once("cacheHitRate", cacheHitRate);
            return this;
        }

        /**
         * @param maxAge age after which the index is stale (default 24 h)
         * @return this builder
         */
        public Builder indexMaxAge(Duration maxAge) {
            once("indexMaxAge", maxAge);
            indexMaxAge = maxAge;
            return this;
        }

        /**
         * @param maxAge age after which the newest verified backup is too old (default 24 h)
         * @return this builder
         */
        public Builder backupMaxAge(Duration maxAge) {
            once("backupMaxAge", maxAge);
            backupMaxAge = maxAge;
            return this;
        }

        /**
         * @param retention how long resolved alerts are kept (default 7 days)
         * @return this builder
         */
        public Builder alertRetention(Duration retention) {
            once("alertRetention", retention);
            alertRetention = retention;
            return this;
        }

        /**
         * @param limit entries kept in {@code metrics.json} (default 1000)
         * @return this builder
         */
        public Builder metricsHistoryLimit(int limit) {
            once("metricsHistoryLimit", limit);
            metricsHistoryLimit = limit;
            return this;
        }

        /**
         * @param executions executions before a success rate is judged (default 3)
         * @return this builder
         */
        public Builder minExecutionsForSuccessRate(long executions) {
            once("minExecutionsForSuccessRate", executions);
            minExecutionsForSuccessRate = executions;
            return this;
        }

        /**
         * @param queries queries (and cache lookups) measured before query time and cache hit rate are
         *     judged (default 100, at least 1)
         * @return this builder
         */
        public Builder minQueriesForPerformance(long queries) {
            once("minQueriesForPerformance", queries);
            minQueriesForPerformance = queries;
            return this;
        }

        /**
         * @param sink where snapshots are also published (default: nowhere)
         * @return this builder
         */
        public Builder metricsSink(MetricsSink sink) {
            once("metricsSink", sink);
            metricsSink = sink;
            return this;
        }

        /**
         * @return the config
         * @throws IllegalArgumentException if a value is out of range
         */
        public MonitorConfig build() {
            return new MonitorConfig(agentMemoryMb, globalMemoryMb, patternAgeDays, successRate, queryTimeMillis,
                    cacheHitRate, indexMaxAge, backupMaxAge, alertRetention, metricsHistoryLimit,
                    minExecutionsForSuccessRate, minQueriesForPerformance, metricsSink);
        }
    }
}
