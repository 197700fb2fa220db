package dev.aml.micrometer;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.Outcome;
import dev.aml.maintenance.monitor.AgentMetrics;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.MaintenanceScheduler;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.MetricsSink;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.OutcomeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for one {@link MemoryManager}: memory sizes and item counts, health, open alerts,
 * query latency, the query cache, recorded outcomes and backup age; {@link #maintenance} adds the last
 * result of each scheduled maintenance task.
 *
 * <pre>{@code
 * AmlMetrics metrics = AmlMetrics.of(aml);
 * metrics.bindTo(registry);
 * metrics.monitor().health();   // every health or metrics run of this monitor refreshes the gauges
 * }</pre>
 *
 * <p>Two sources. The query path's counters ({@link MemoryManager#queryStats()},
 * {@link MemoryManager#cacheStats()}) and outcomes are live: every scrape reads them. Sizes, counts,
 * health and backup age are what the last run of {@link #monitor()} measured (it publishes into this
 * binder as its {@link MetricsSink}): measuring walks the whole memory, so a scrape never triggers it.
 * Before the first run those gauges are {@code NaN}. Open alerts are read from the monitor at the
 * first scrape after each run.
 *
 * <p>Cardinality is bounded: tags are agents (a handful per application, never per item), kinds (3),
 * check names (6), alert levels (4), results (2) and scheduled task names. The README lists every
 * meter.
 */
public final class AmlMetrics implements MeterBinder, MetricsSink {

    private static final Logger LOG = LoggerFactory.getLogger(AmlMetrics.class);

    private final MemoryManager aml;
    private final Monitor monitor;
    private final MetricsSink downstream;
    private final List<MultiGauge> agentSizes = new CopyOnWriteArrayList<>();
    private final List<MultiGauge> agentItems = new CopyOnWriteArrayList<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<ItemKind, Map<Boolean, List<Counter>>> outcomeCounters = new EnumMap<>(ItemKind.class);
    private volatile @Nullable MetricsSnapshot lastSnapshot;
    private volatile @Nullable HealthReport lastHealth;
    private final Object alertLock = new Object();
    private boolean alertsStale = true;
    private @Nullable Map<AlertLevel, Long> openAlerts;

    private AmlMetrics(Builder b) {
        this.aml = b.aml;
        MonitorConfig config = b.monitorConfig != null ? b.monitorConfig : aml.monitorConfig();
        this.downstream = config.metricsSink();
        this.monitor = aml.monitor(config.toBuilder().metricsSink(this).build());
        for (ItemKind kind : ItemKind.values()) {
            Map<Boolean, List<Counter>> byResult = new java.util.HashMap<>();
            byResult.put(true, new CopyOnWriteArrayList<>());
            byResult.put(false, new CopyOnWriteArrayList<>());
            outcomeCounters.put(kind, byResult);
        }
        aml.addOutcomeListener(new CountingListener());
    }

    /**
     * @param aml the manager to measure
     * @return meters with the default monitor thresholds
     */
    public static AmlMetrics of(MemoryManager aml) {
        return builder(aml).build();
    }

    /**
     * @param aml the manager to measure
     * @return a builder
     */
    public static Builder builder(MemoryManager aml) {
        return new Builder(aml);
    }

    /**
     * Meters for a {@link MaintenanceScheduler}: {@code aml.maintenance.last.outcome}, tagged
     * {@code task}, is 1 when the task's last run succeeded, 0 when it failed, {@code NaN} before its
     * first run. A separate binder because the scheduler usually runs {@link #monitor()}'s health task.
     *
     * @param scheduler the scheduler
     * @return its binder
     */
    public static MeterBinder maintenance(MaintenanceScheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return registry -> {
            for (String task : scheduler.taskNames()) {
                Gauge.builder("aml.maintenance.last.outcome", scheduler, s -> lastRun(s, task)).tag("task", task)
                        .description("last run of a scheduled task: 1 succeeded, 0 failed, NaN not run yet")
                        .register(registry);
            }
        };
    }

    /**
     * The monitor whose runs refresh the gauges: {@code aml.monitor(config)} with this binder added as
     * its metrics sink (the config's own sink still gets every snapshot, first). Use it (for health
     * checks, reports, the scheduler's health task) instead of {@code aml.monitor()}.
     *
     * @return the monitor
     */
    public Monitor monitor() {
        return monitor;
    }

    /** @return the health report of the last run of {@link #monitor()}, if any */
    public Optional<HealthReport> lastHealth() {
        return Optional.ofNullable(lastHealth);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Gauge.builder("aml.memory.size", this, m -> m.snapshotValue(s -> s.memory().totalSizeBytes()))
                .description("bytes of all item files, as of the last monitor run").baseUnit("bytes")
                .register(registry);
        agentSizes.add(MultiGauge.builder("aml.agent.memory.size").baseUnit("bytes")
                .description("bytes of one agent's item files, as of the last monitor run").register(registry));
        agentItems.add(MultiGauge.builder("aml.agent.items").baseUnit("items")
                .description("items of one agent and kind, as of the last monitor run").register(registry));
        Gauge.builder("aml.health.status", this, m -> m.healthValue(null))
                .description("worst health check: 0 healthy, 1 warning, 2 critical (the CLI's exit code)")
                .register(registry);
        for (String check : HealthCheck.NAMES) {
            Gauge.builder("aml.health.check", this, m -> m.healthValue(check)).tag("check", check)
                    .description("one health check: 0 healthy, 1 warning, 2 critical").register(registry);
        }
        for (AlertLevel level : AlertLevel.values()) {
            Gauge.builder("aml.alerts.open", this, m -> m.openAlerts(level)).tag("level", level.label())
                    .description("unresolved alerts of one level").baseUnit("alerts").register(registry);
        }
        TimeGauge.builder("aml.query.latency.mean", aml, TimeUnit.MILLISECONDS,
                a -> a.queryStats().queries() == 0 ? Double.NaN : a.queryStats().avgQueryMillis())
                .description("mean query latency since the manager opened (sampled)").register(registry);
        TimeGauge.builder("aml.query.latency.p95", aml, TimeUnit.MILLISECONDS,
                a -> a.queryStats().queries() == 0 ? Double.NaN : a.queryStats().p95QueryMillis())
                .description("95th percentile query latency since the manager opened (sampled)").register(registry);
        FunctionCounter.builder("aml.queries", aml, a -> a.queryStats().queries()).baseUnit("queries")
                .description("queries answered").register(registry);
        FunctionCounter.builder("aml.cache.gets", aml, a -> a.cacheStats().hitCount()).tag("result", "hit")
                .description("query cache lookups").register(registry);
        FunctionCounter.builder("aml.cache.gets", aml, a -> a.cacheStats().missCount()).tag("result", "miss")
                .description("query cache lookups").register(registry);
        FunctionCounter.builder("aml.cache.evictions", aml, a -> a.cacheStats().evictionCount())
                .description("query results evicted from the cache").register(registry);
        Gauge.builder("aml.cache.size", aml, a -> a.cacheStats().size()).baseUnit("results")
                .description("query results in the cache").register(registry);
        for (ItemKind kind : ItemKind.values()) {
            for (boolean success : new boolean[] {true, false}) {
                outcomeCounters.get(kind).get(success).add(Counter.builder("aml.outcomes")
                        .tags(Tags.of("kind", kind.label(), "result", success ? "success" : "failure"))
                        .description("outcomes recorded (recordOutcome)").register(registry));
            }
        }
        TimeGauge.builder("aml.backup.age", this, TimeUnit.HOURS, AmlMetrics::backupAgeHours)
                .description("age of the newest complete, verified backup, as of the last health run")
                .register(registry);
        registries.add(registry);
        MetricsSnapshot s = lastSnapshot;
        if (s != null) {
            refreshAgents(s);
        }
    }

    @Override
    public void publish(MetricsSnapshot snapshot) {
        try {
            downstream.publish(snapshot);
        } finally {
            lastSnapshot = snapshot;
            refreshAgents(snapshot);
            markAlertsStale();
        }
    }

    @Override
    public void publishHealth(HealthReport report) {
        try {
            downstream.publishHealth(report);
        } finally {
            lastHealth = report;
            markAlertsStale();
        }
    }

    private void refreshAgents(MetricsSnapshot snapshot) {
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        List<MultiGauge.Row<?>> items = new ArrayList<>();
        for (AgentMetrics a : snapshot.agents()) {
            sizes.add(MultiGauge.Row.of(Tags.of("agent", a.agent()), a.sizeBytes()));
            items.add(MultiGauge.Row.of(Tags.of("agent", a.agent(), "kind", ItemKind.PATTERN.label()), a.patterns()));
            items.add(MultiGauge.Row.of(Tags.of("agent", a.agent(), "kind", ItemKind.SOLUTION.label()), a.solutions()));
            items.add(MultiGauge.Row.of(Tags.of("agent", a.agent(), "kind", ItemKind.DECISION.label()), a.decisions()));
        }
        agentSizes.forEach(g -> g.register(sizes, true));
        agentItems.forEach(g -> g.register(items, true));
    }

    private double snapshotValue(java.util.function.ToDoubleFunction<MetricsSnapshot> f) {
        MetricsSnapshot s = lastSnapshot;
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }

    private double healthValue(@Nullable String check) {
        HealthReport h = lastHealth;
        if (h == null) {
            return Double.NaN;
        }
        if (check == null) {
            return h.status().ordinal();
        }
        return h.check(check).map(c -> (double) c.status().ordinal()).orElse(Double.NaN);
    }

    private double backupAgeHours() {
        HealthReport h = lastHealth;
        if (h == null) {
            return Double.NaN;
        }
        return h.check(HealthCheck.RECENT_BACKUP).map(HealthCheck::value).orElse(Double.NaN);
    }

    private static double lastRun(MaintenanceScheduler s, String task) {
        List<MaintenanceScheduler.Run> runs = s.runs();
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).task().equals(task)) {
                return runs.get(i).succeeded() ? 1 : 0;
            }
        }
        return Double.NaN;
    }

    private void markAlertsStale() {
        synchronized (alertLock) {
            alertsStale = true;
        }
    }

    private double openAlerts(AlertLevel level) {
        synchronized (alertLock) {
            if (alertsStale) {
                try {
                    Map<AlertLevel, Long> counts = new EnumMap<>(AlertLevel.class);
                    for (AlertLevel l : AlertLevel.values()) {
                        counts.put(l, 0L);
                    }
                    for (Alert a : monitor.alerts()) {
                        counts.merge(a.level(), 1L, Long::sum);
                    }
                    openAlerts = counts;
                } catch (RuntimeException e) {
                    LOG.warn("cannot read the open alerts for aml.alerts.open: {}", e.getMessage(), e);
                    openAlerts = null;
                }
                alertsStale = false;
            }
            Map<AlertLevel, Long> counts = openAlerts;
            return counts == null ? Double.NaN : counts.get(level);
        }
    }

    /** Counts outcomes into every bound registry's {@code aml.outcomes} counters. */
    private final class CountingListener implements OutcomeListener {
        @Override
        public void outcomeRecorded(AgentId agent, ItemKind kind, Outcome outcome) {
            for (Counter c : outcomeCounters.get(kind).get(outcome.succeeded())) {
                c.increment();
            }
        }

        @Override
        public String toString() {
            return "AmlMetrics.outcomes";
        }
    }

    @Override
    public String toString() {
        return "AmlMetrics[" + aml.store().describe() + ", " + registries.size() + " registries]";
    }

    /** Builds {@link AmlMetrics}; each option may be set once. */
    public static final class Builder {
        private final MemoryManager aml;
        private @Nullable MonitorConfig monitorConfig;

        private Builder(MemoryManager aml) {
            this.aml = Objects.requireNonNull(aml, "aml");
        }

        /**
         * @param config thresholds of {@link AmlMetrics#monitor()} (default: the manager's {@code monitorConfig()});
         *     its own metrics sink still gets every snapshot
         * @return this builder
         */
        public Builder monitorConfig(MonitorConfig config) {
            if (monitorConfig != null) {
                throw new IllegalStateException("monitorConfig was already set to " + monitorConfig);
            }
            monitorConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Registers the outcome listener on the manager; build it once per manager.
         *
         * @return the binder (not yet bound to a registry)
         */
        public AmlMetrics build() {
            return new AmlMetrics(this);
        }
    }
}
