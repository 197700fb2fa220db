package dev.aml.maintenance.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.monitor.AgentMetrics;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MemoryMetrics;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.MonitorReport;
import dev.aml.maintenance.monitor.QueryPerformance;
import dev.aml.maintenance.monitor.Threshold;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor of one tree.
 *
 * <p>Design. One evaluation measures everything (a scan of the tree on disk that parses every item
 * file, the patterns' ages and success rates from the store, the query counters, the backups),
 * derives the six checks, and derives the set of alert conditions (both in {@link HealthEvaluator},
 * which has no side effects; this class measures, runs it and records the outcome). {@link #metrics()},
 * {@link #health()} and {@link #report()} are views of that one evaluation, so the checks, alerts and
 * history never disagree, and an alert exists exactly while its condition holds. Evaluations read
 * memory items and never write them; they write only {@code monitoring/*.json}, atomically, under a
 * lock that serializes monitors in this JVM and in other processes. A monitoring file that cannot be
 * read is left as it is (the run reports it as a warning) rather than replaced: the alert history is
 * data too.
 *
 * <p>A store without a tree on disk (PostgreSQL, in memory) is measured through the SPI instead
 * ({@link TreeScanner#scanStore}): counts from its items, sizes as their estimated compact Loom JSON,
 * integrity from {@link MemoryStore#unreadableAgents()}, the runtime's in-memory index, and no backup
 * check (physical backups of PostgreSQL are the database's job). Such a monitor writes no file: its
 * alerts and history live in the {@link MonitorState} that the {@code MemoryManager} owns and gives
 * its monitors, and are gone with the manager.
 *
 * <p>Query performance comes from the live counters of the query path; a process with none (the CLI)
 * uses the counters the last process with queries saved in {@code monitoring/performance.json}, and
 * reports no value at all rather than a fake 0 % when nobody ever measured any.
 */
public final class DefaultMonitor implements Monitor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMonitor.class);

    /** The categories whose alerts an evaluation raises and resolves. */
    static final Set<String> EVALUATED = Set.of("memory", "performance", "structure", "index", "backup",
            "integrity", "patterns");

    private final @Nullable Path root;
    private final @Nullable MonitorState memory;
    /** How fix hints name the memory: the root, or a placeholder for a store without one. */
    private final String target;
    private final MemoryStore store;
    private final Clock clock;
    private final MonitorConfig config;
    private final Supplier<QueryStats> liveStats;
    private final Supplier<List<BackupInfo>> backups;
    /** For a store without a memory root: where its backups live, if configured (else none are judged). */
    private final @Nullable Path rootlessBackupRoot;
    private final ZoneId localZone;
    private final HealthEvaluator evaluator;

    /**
     * @param root the memory root on disk
     * @param store the store (read only: items for pattern ages, unreadable agents)
     * @param clock the clock
     * @param config thresholds
     * @param liveStats the live counters of this process's query path
     * @param backups the registered backups, newest first
     */
    public DefaultMonitor(Path root, MemoryStore store, Clock clock, MonitorConfig config,
            Supplier<QueryStats> liveStats, Supplier<List<BackupInfo>> backups) {
        this.root = Objects.requireNonNull(root, "root");
        this.memory = null;
        this.target = root.toString();
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.liveStats = Objects.requireNonNull(liveStats, "liveStats");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.rootlessBackupRoot = null;
        this.localZone = ZoneId.systemDefault();
        this.evaluator = new HealthEvaluator(root, memory != null, target, store, config, backups, rootlessBackupRoot);
    }

    /**
     * A monitor of a store without a tree on disk: it measures through the SPI and keeps alerts and
     * history in {@code state} instead of {@code monitoring/*.json}.
     *
     * @param store the store (read only)
     * @param clock the clock
     * @param config thresholds
     * @param liveStats the live counters of this process's query path
     * @param state where alerts and history live (one per manager, shared by its monitors)
     */
    public DefaultMonitor(MemoryStore store, Clock clock, MonitorConfig config, Supplier<QueryStats> liveStats,
            MonitorState state) {
        this(store, clock, config, liveStats, state, null, List::of);
    }

    /**
     * A monitor of a store without a tree on disk whose backups (logical exports) live in a
     * configured backup root: {@code recent_backup} is judged from them as for a tree.
     *
     * @param store the store (read only)
     * @param clock the clock
     * @param config thresholds
     * @param liveStats the live counters of this process's query path
     * @param state where alerts and history live (one per manager, shared by its monitors)
     * @param backupRoot where the store's backups live; {@code null} when none is configured
     *     ({@code recent_backup} is then not applicable)
     * @param backups the registered backups, newest first
     */
    public DefaultMonitor(MemoryStore store, Clock clock, MonitorConfig config, Supplier<QueryStats> liveStats,
            MonitorState state, @Nullable Path backupRoot, Supplier<List<BackupInfo>> backups) {
        this.root = null;
        this.memory = Objects.requireNonNull(state, "state");
        this.target = "<memory>";
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.liveStats = Objects.requireNonNull(liveStats, "liveStats");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.rootlessBackupRoot = backupRoot;
        this.localZone = ZoneId.systemDefault();
        this.evaluator = new HealthEvaluator(root, memory != null, target, store, config, backups, rootlessBackupRoot);
    }


    private Path monitoringDir() {
        return Objects.requireNonNull(root, "root").resolve("monitoring");
    }

    private Path file(String name) {
        return monitoringDir().resolve(name);
    }

    // ------------------------------------------------------------------------------------------------ API

    @Override
    public MetricsSnapshot metrics() {
        return run(false).metrics();
    }

    @Override
    public HealthReport health() {
        return run(true);
    }

    @Override
    public MonitorReport report() {
        HealthReport h = health();
        List<Alert> active = root == null || java.nio.file.Files.isDirectory(root) ? safeActiveAlerts(h)
                : List.of();
        return new MonitorReport(h, active);
    }

    private List<Alert> safeActiveAlerts(HealthReport h) {
        try {
            return alerts();
        } catch (CorruptDataException e) {
            return List.of(); // already in h.warnings()
        }
    }

    @Override
    public List<Alert> alerts() {
        return allAlerts().stream().filter(a -> !a.resolved()).toList();
    }

    @Override
    public List<Alert> allAlerts() {
        if (memory != null) {
            return memory.alerts();
        }
        return MonitorFiles.readIfExists(file("alerts.json"))
                .map(t -> AlertBook.fromJson(file("alerts.json"), t, localZone)).orElse(List.of());
    }

    @Override
    public List<MemoryMetrics> history(Duration window) {
        Instant cutoff = clock.instant().minus(window);
        return (memory != null ? memory.history() : readHistory()).stream().filter(m -> !m.timestamp().isBefore(cutoff)).toList();
    }

    @Override
    public Alert raise(AlertLevel level, String category, String condition, String message,
            Map<String, Object> details) {
        Objects.requireNonNull(level, "level");
        if (EVALUATED.contains(category)) {
            throw new IllegalArgumentException("category '" + category + "' belongs to health evaluation; use"
                    + " another, e.g. 'maintenance'");
        }
        Instant now = clock.instant();
        AlertBook.Condition c = new AlertBook.Condition(condition, level, category, message, details);
        if (memory != null) {
            Alert raised = memory.update(before -> AlertBook.raise(before, c, now), after -> after.stream()
                    .filter(a -> !a.resolved() && a.condition().equals(condition)).findFirst().orElseThrow());
            log(level, "[" + category + "] " + message);
            return raised;
        }
        return MonitorFiles.locked(monitoringDir(), () -> {
            List<Alert> after = AlertBook.raise(allAlerts(), c, now);
            MonitorFiles.writeAtomically(file("alerts.json"), AlertBook.toJson(after));
            log(level, "[" + category + "] " + message);
            return after.stream().filter(a -> !a.resolved() && a.condition().equals(condition)).findFirst()
                    .orElseThrow();
        });
    }

    @Override
    public boolean resolve(String condition) {
        if (memory != null) {
            Instant now = clock.instant();
            boolean[] changed = new boolean[1];
            memory.update(before -> {
                List<Alert> after = AlertBook.resolve(before, condition, now);
                changed[0] = !after.equals(before);
                return after;
            }, after -> after);
            return changed[0];
        }
        if (!java.nio.file.Files.isDirectory(monitoringDir())) {
            return false;
        }
        Instant now = clock.instant();
        return MonitorFiles.locked(monitoringDir(), () -> {
            List<Alert> before = allAlerts();
            List<Alert> after = AlertBook.resolve(before, condition, now);
            if (after.equals(before)) {
                return false;
            }
            MonitorFiles.writeAtomically(file("alerts.json"), AlertBook.toJson(after));
            return true;
        });
    }

    // ----------------------------------------------------------------------------------------- evaluation

    /** @return the tree's layout: the store's own files when they are this tree, else the tree's standard layout */
    private StoreFiles files() {
        Path r = Objects.requireNonNull(root, "root");
        return store.files().filter(f -> f.root().equals(r)).orElseGet(() -> StoreFiles.of(r, store));
    }

    private HealthReport run(boolean saveHealth) {
        Instant now = clock.instant();
        List<String> fileWarnings = new ArrayList<>();
        if (memory != null) {
            return runWithoutTree(now);
        }
        TreeScanner.Scan scan = TreeScanner.scan(files());
        if (!scan.rootExists()) {
            MetricsSnapshot metrics = snapshot(now, scan, QueryPerformance.NONE, new long[4]);
            return report(now, evaluator.checks(now, scan, metrics), fileWarnings, metrics);
        }
        HealthReport report = MonitorFiles.locked(monitoringDir(), () -> {
            QueryPerformance perf = performance(now, fileWarnings);
            MetricsSnapshot metrics = snapshot(now, scan, perf, patternSignals(now));
            List<HealthCheck> checks = evaluator.checks(now, scan, metrics);
            appendHistory(metrics.memory(), fileWarnings);
            updateAlerts(now, evaluator.conditions(metrics, checks, scan), fileWarnings);
            HealthReport r = report(now, checks, fileWarnings, metrics);
            if (saveHealth) {
                MonitorFiles.writeAtomically(file("health.json"), healthJson(r));
            }
            return r;
        });
        publish(report, saveHealth);
        return report;
    }

    /** One evaluation of a store without a tree on disk; alerts and history stay in {@link #memory}. */
    private HealthReport runWithoutTree(Instant now) {
        MonitorState state = Objects.requireNonNull(memory, "memory");
        TreeScanner.Scan scan = TreeScanner.scanStore(store);
        QueryStats live = liveStats.get();
        QueryPerformance perf = live.queries() > 0 ? new QueryPerformance(QueryPerformance.Source.LIVE, now, live)
                : QueryPerformance.NONE;
        MetricsSnapshot metrics = snapshot(now, scan, perf, patternSignals(now));
        List<HealthCheck> checks = evaluator.checks(now, scan, metrics);
        state.record(metrics.memory(), config.metricsHistoryLimit());
        List<AlertBook.Condition> conditions = evaluator.conditions(metrics, checks, scan);
        List<Alert> before = state.alerts();
        List<Alert> after = state.update(
                b -> AlertBook.reconcile(b, conditions, EVALUATED, now, config.alertRetention()), a -> a);
        for (Alert a : after) {
            if (!a.resolved() && a.occurrences() == 1 && !before.contains(a)) {
                log(a.level(), "[" + a.category() + "] " + a.message());
            }
        }
        HealthReport report = report(now, checks, List.of(), metrics);
        publish(report, true);
        return report;
    }

    private void publish(HealthReport report, boolean health) {
        try {
            config.metricsSink().publish(report.metrics());
            if (health) {
                config.metricsSink().publishHealth(report);
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics sink {} failed; monitoring goes on without it", config.metricsSink(), e);
        }
    }

    private HealthReport report(Instant now, List<HealthCheck> checks, List<String> fileWarnings,
            MetricsSnapshot metrics) {
        HealthStatus status = HealthStatus.HEALTHY;
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (HealthCheck c : checks) {
            status = status.worst(c.status());
            if (c.status() == HealthStatus.WARNING) {
                warnings.add(c.message());
            } else if (c.status() == HealthStatus.CRITICAL) {
                errors.add(c.message());
            }
        }
        warnings.addAll(fileWarnings);
        if (!fileWarnings.isEmpty()) {
            status = status.worst(HealthStatus.WARNING);
        }
        return new HealthReport(now, status, checks, warnings, errors, metrics);
    }

    private QueryPerformance performance(Instant now, List<String> warnings) {
        QueryStats live = liveStats.get();
        if (live.queries() > 0) {
            MonitorFiles.writeAtomically(file("performance.json"), performanceJson(now, live));
            return new QueryPerformance(QueryPerformance.Source.LIVE, now, live);
        }
        try {
            Optional<JsonNode> saved = MonitorFiles.readIfExists(file("performance.json"));
            if (saved.isEmpty()) {
                return QueryPerformance.NONE;
            }
            JsonNode n = saved.get();
            Instant at = MonitorFiles.parseInstant(n.path("timestamp").asText(null), localZone);
            if (at == null || !n.path("queries").canConvertToLong()) {
                throw new CorruptDataException(file("performance.json") + " lacks a timestamp or query count");
            }
            QueryStats s = new QueryStats(n.path("queries").asLong(), n.path("avg_query_time_ms").asDouble(),
                    n.path("p95_query_time_ms").asDouble(), n.path("cache_hits").asLong(),
                    n.path("cache_misses").asLong());
            return new QueryPerformance(QueryPerformance.Source.PERSISTED, at, s);
        } catch (CorruptDataException e) {
            warnings.add("Monitoring file unreadable, left untouched: " + e.getMessage());
            return QueryPerformance.NONE;
        }
    }

    private static ObjectNode performanceJson(Instant now, QueryStats s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("timestamp", now.toString());
        o.put("queries", s.queries());
        o.put("avg_query_time_ms", s.avgQueryMillis());
        o.put("p95_query_time_ms", s.p95QueryMillis());
        o.put("cache_hits", s.cacheHits());
        o.put("cache_misses", s.cacheMisses());
        o.put("cache_hit_rate", s.cacheHitRate());
        return o;
    }

    /** @return [past age warning, past age critical, below success warning, below success critical] */
    private long[] patternSignals(Instant now) {
        long[] n = new long[4];
        Set<AgentId> unreadable = store.unreadableAgents().keySet();
        for (AgentId agent : store.agents()) {
            if (unreadable.contains(agent)) {
                continue;
            }
            List<MemoryItem> patterns;
            try {
                patterns = store.items(agent, ItemKind.PATTERN);
            } catch (CorruptDataException e) {
                continue; // reported by file_integrity
            }
            for (MemoryItem item : patterns) {
                if (!(item instanceof Pattern p) || !p.active()) {
                    continue;
                }
                Instant last = p.lastUsed();
                if (last != null) {
                    HealthStatus age = config.patternAgeDays().evaluate(Learning.ageDays(last, now));
                    n[0] += age != HealthStatus.HEALTHY ? 1 : 0;
                    n[1] += age == HealthStatus.CRITICAL ? 1 : 0;
                }
                if (p.executionCount() >= config.minExecutionsForSuccessRate()) {
                    HealthStatus rate = config.successRate().evaluate(p.successRate());
                    n[2] += rate != HealthStatus.HEALTHY ? 1 : 0;
                    n[3] += rate == HealthStatus.CRITICAL ? 1 : 0;
                }
            }
        }
        return n;
    }

    private MetricsSnapshot snapshot(Instant now, TreeScanner.Scan scan, QueryPerformance perf, long[] signals) {
        long total = 0;
        long patterns = 0;
        long solutions = 0;
        long decisions = 0;
        int compressed = 0;
        int plain = 0;
        String largest = "none";
        long largestSize = 0;
        boolean first = true;
        for (AgentMetrics a : scan.agents()) {
            total += a.sizeBytes();
            patterns += a.patterns();
            solutions += a.solutions();
            decisions += a.decisions();
            compressed += a.compressedFiles();
            plain += a.uncompressedFiles();
            if (first || a.sizeBytes() > largestSize) {
                largest = a.agent();
                largestSize = a.sizeBytes();
                first = false;
            }
        }
        double avgPattern = scan.patternsSized() == 0 ? 0 : (double) scan.patternBytes() / scan.patternsSized();
        MemoryMetrics m = new MemoryMetrics(now, total, scan.agents().size(), patterns, solutions, decisions,
                avgPattern, largest, largestSize, compressed, plain, scan.indexSizeBytes());
        return new MetricsSnapshot(m, scan.agents(), signals[0], signals[1], signals[2], signals[3], perf);
    }

    // --------------------------------------------------------------------------------------------- alerts

    private void updateAlerts(Instant now, List<AlertBook.Condition> conditions, List<String> warnings) {
        Path f = file("alerts.json");
        List<Alert> before;
        try {
            before = allAlerts();
        } catch (CorruptDataException e) {
            warnings.add("Monitoring file unreadable, left untouched (alerts not updated): " + e.getMessage());
            return;
        }
        List<Alert> after = AlertBook.reconcile(before, conditions, EVALUATED, now, config.alertRetention());
        if (!after.equals(before) || !java.nio.file.Files.exists(f)) {
            MonitorFiles.writeAtomically(f, AlertBook.toJson(after));
        }
        for (Alert a : after) {
            if (!a.resolved() && a.occurrences() == 1 && !before.contains(a)) {
                log(a.level(), "[" + a.category() + "] " + a.message());
            }
        }
    }

    private static void log(AlertLevel level, String line) {
        switch (level) {
            case INFO -> LOG.info(line);
            case WARNING -> LOG.warn(line);
            default -> LOG.error(line);
        }
    }

    // --------------------------------------------------------------------------------------------- history

    private List<MemoryMetrics> readHistory() {
        Path f = file("metrics.json");
        Optional<JsonNode> tree = MonitorFiles.readIfExists(f);
        if (tree.isEmpty()) {
            return List.of();
        }
        JsonNode h = tree.get().get("history");
        if (h == null || !h.isArray()) {
            throw new CorruptDataException(f + " has no \"history\" array; it was left untouched", f, -1,
                    CorruptDataException.PositionKind.NONE, null);
        }
        List<MemoryMetrics> out = new ArrayList<>(h.size());
        for (int i = 0; i < h.size(); i++) {
            JsonNode e = h.get(i);
            Instant ts = MonitorFiles.parseInstant(e.path("timestamp").asText(null), localZone);
            if (ts == null) {
                throw new CorruptDataException(f + ": history entry " + i + " has no valid timestamp; the file was"
                        + " left untouched", f, i, CorruptDataException.PositionKind.ELEMENT_INDEX, null);
            }
            out.add(new MemoryMetrics(ts, e.path("total_size_bytes").asLong(), e.path("agent_count").asInt(),
                    e.path("pattern_count").asLong(), e.path("solution_count").asLong(),
                    e.path("decision_count").asLong(), e.path("avg_pattern_size_bytes").asDouble(),
                    e.path("largest_agent").asText("none"), e.path("largest_agent_size_bytes").asLong(),
                    e.path("compressed_files").asInt(), e.path("uncompressed_files").asInt(),
                    e.path("index_size_bytes").asLong()));
        }
        return out;
    }

    private void appendHistory(MemoryMetrics m, List<String> warnings) {
        Path f = file("metrics.json");
        ArrayNode history;
        try {
            readHistory(); // validates the whole file before we rewrite it
            Optional<JsonNode> tree = MonitorFiles.readIfExists(f);
            history = tree.isPresent() ? (ArrayNode) tree.get().get("history") : Json.MAPPER.createArrayNode();
        } catch (CorruptDataException e) {
            warnings.add("Monitoring file unreadable, left untouched (history not updated): " + e.getMessage());
            return;
        }
        history.add(metricsJson(m));
        while (history.size() > config.metricsHistoryLimit()) {
            history.remove(0);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("history", history);
        MonitorFiles.writeAtomically(f, root);
    }

    private static ObjectNode metricsJson(MemoryMetrics m) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("timestamp", m.timestamp().toString());
        o.put("total_size_bytes", m.totalSizeBytes());
        o.put("agent_count", m.agentCount());
        o.put("pattern_count", m.patternCount());
        o.put("solution_count", m.solutionCount());
        o.put("decision_count", m.decisionCount());
        o.put("avg_pattern_size_bytes", m.avgPatternSizeBytes());
        o.put("largest_agent", m.largestAgent());
        o.put("largest_agent_size_bytes", m.largestAgentSizeBytes());
        o.put("compressed_files", m.compressedFiles());
        o.put("uncompressed_files", m.uncompressedFiles());
        o.put("index_size_bytes", m.indexSizeBytes());
        return o;
    }

    private static JsonNode healthJson(HealthReport r) {
        return Json.MAPPER.valueToTree(r.toLoomShape());
    }

}
