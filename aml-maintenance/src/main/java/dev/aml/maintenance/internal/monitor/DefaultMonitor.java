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
import dev.aml.core.StoreFiles;
import dev.aml.core.Pattern;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.AgentMetrics;
import dev.aml.maintenance.Alert;
import dev.aml.maintenance.AlertLevel;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.HealthCheck;
import dev.aml.maintenance.HealthReport;
import dev.aml.maintenance.HealthStatus;
import dev.aml.maintenance.MemoryMetrics;
import dev.aml.maintenance.MetricsSnapshot;
import dev.aml.maintenance.Monitor;
import dev.aml.maintenance.MonitorConfig;
import dev.aml.maintenance.MonitorReport;
import dev.aml.maintenance.QueryPerformance;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.Threshold;
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
 * derives the six checks, and derives the set of alert conditions. {@link #metrics()},
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
 * alerts and history live in a {@link MemoryState} that {@link Monitoring} keeps for the manager's
 * lifetime, and are gone when the process ends.
 *
 * <p>Query performance comes from the live counters of the query path; a process with none (the CLI)
 * uses the counters the last process with queries saved in {@code monitoring/performance.json}, and
 * reports no value at all rather than a fake 0 % when nobody ever measured any.
 */
public final class DefaultMonitor implements Monitor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMonitor.class);
    private static final double MIB = 1024.0 * 1024.0;

    /** The categories whose alerts an evaluation raises and resolves. */
    static final Set<String> EVALUATED = Set.of("memory", "performance", "structure", "index", "backup",
            "integrity", "patterns");

    private final @Nullable Path root;
    private final @Nullable MemoryState memory;
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
            MemoryState state) {
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
            MemoryState state, @Nullable Path backupRoot, Supplier<List<BackupInfo>> backups) {
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
    }

    /**
     * Alerts and metrics history of a store without a tree on disk, kept in memory (guarded by its own
     * monitor lock) for as long as the manager that owns it.
     */
    public static final class MemoryState {
        private List<Alert> alerts = List.of();
        private final java.util.ArrayDeque<MemoryMetrics> history = new java.util.ArrayDeque<>();

        /** Creates an empty state. */
        public MemoryState() {
        }

        synchronized List<Alert> alerts() {
            return alerts;
        }

        synchronized List<MemoryMetrics> history() {
            return List.copyOf(history);
        }

        synchronized <T> T update(java.util.function.Function<List<Alert>, List<Alert>> change,
                java.util.function.Function<List<Alert>, T> result) {
            alerts = List.copyOf(change.apply(alerts));
            return result.apply(alerts);
        }

        synchronized void record(MemoryMetrics m, int limit) {
            history.addLast(m);
            while (history.size() > limit) {
                history.removeFirst();
            }
        }
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
            return report(now, checks(now, scan, metrics), fileWarnings, metrics);
        }
        HealthReport report = MonitorFiles.locked(monitoringDir(), () -> {
            QueryPerformance perf = performance(now, fileWarnings);
            MetricsSnapshot metrics = snapshot(now, scan, perf, patternSignals(now));
            List<HealthCheck> checks = checks(now, scan, metrics);
            appendHistory(metrics.memory(), fileWarnings);
            updateAlerts(now, conditions(metrics, checks, scan), fileWarnings);
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
        MemoryState state = Objects.requireNonNull(memory, "memory");
        TreeScanner.Scan scan = TreeScanner.scanStore(store);
        QueryStats live = liveStats.get();
        QueryPerformance perf = live.queries() > 0 ? new QueryPerformance(QueryPerformance.Source.LIVE, now, live)
                : QueryPerformance.NONE;
        MetricsSnapshot metrics = snapshot(now, scan, perf, patternSignals(now));
        List<HealthCheck> checks = checks(now, scan, metrics);
        state.record(metrics.memory(), config.metricsHistoryLimit());
        List<AlertBook.Condition> conditions = conditions(metrics, checks, scan);
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

    // --------------------------------------------------------------------------------------------- checks

    private List<HealthCheck> checks(Instant now, TreeScanner.Scan scan, MetricsSnapshot metrics) {
        List<HealthCheck> checks = new ArrayList<>(6);
        checks.add(structure(scan));
        checks.add(memory(metrics));
        checks.add(index(now, scan));
        checks.add(backup(now, scan));
        checks.add(integrity(scan));
        checks.add(performance(metrics.performance()));
        return checks;
    }

    private HealthCheck structure(TreeScanner.Scan scan) {
        if (memory != null) {
            return new HealthCheck(HealthCheck.DIRECTORY_STRUCTURE, HealthStatus.HEALTHY, 0, "missing dirs", null,
                    "No directory tree: " + store.describe() + " (nothing on disk to check)");
        }
        if (!scan.rootExists()) {
            return new HealthCheck(HealthCheck.DIRECTORY_STRUCTURE, HealthStatus.CRITICAL, Double.NaN,
                    "missing dirs", null, "Memory directory does not exist: " + root
                    + " (check the path, or create a tree with 'aml " + root + " demo')");
        }
        List<String> missing = scan.missingDirectories();
        if (missing.isEmpty()) {
            return new HealthCheck(HealthCheck.DIRECTORY_STRUCTURE, HealthStatus.HEALTHY, 0, "missing dirs",
                    null, "Memory root, global/ and config/ exist");
        }
        return new HealthCheck(HealthCheck.DIRECTORY_STRUCTURE, HealthStatus.WARNING, missing.size(),
                "missing dirs", null, "Memory directory structure is incomplete: missing "
                + String.join(", ", missing) + " under " + root + " (AML's store creates them when it opens the"
                + " tree for writing; or create them with mkdir)");
    }

    private HealthCheck memory(MetricsSnapshot metrics) {
        MemoryMetrics m = metrics.memory();
        double totalMb = m.totalSizeBytes() / MIB;
        double largestMb = m.largestAgentSizeBytes() / MIB;
        HealthStatus global = config.globalMemoryMb().evaluate(totalMb);
        HealthStatus agent = m.agentCount() == 0 ? HealthStatus.HEALTHY : config.agentMemoryMb().evaluate(largestMb);
        HealthStatus status = global.worst(agent);
        String message;
        if (status == HealthStatus.HEALTHY) {
            message = String.format(Locale.ROOT, "Memory usage %.1fMB (warning at %s MB); largest agent %s %.1fMB"
                    + " (warning at %s MB)", totalMb, num(config.globalMemoryMb().warning()), m.largestAgent(),
                    largestMb, num(config.agentMemoryMb().warning()));
        } else {
            List<String> parts = new ArrayList<>();
            if (global == HealthStatus.CRITICAL) {
                parts.add(String.format(Locale.ROOT, "Memory usage exceeds critical limit: %.1fMB (limit %s MB)",
                        totalMb, num(config.globalMemoryMb().critical())));
            } else if (global == HealthStatus.WARNING) {
                parts.add(String.format(Locale.ROOT, "Memory usage high: %.1fMB (warning at %s MB)", totalMb,
                        num(config.globalMemoryMb().warning())));
            }
            for (AgentMetrics a : metrics.agents()) {
                HealthStatus s = config.agentMemoryMb().evaluate(a.sizeBytes() / MIB);
                if (s != HealthStatus.HEALTHY) {
                    parts.add(String.format(Locale.ROOT, "Agent %s memory %s: %.1fMB (%s at %s MB)", a.agent(),
                            s == HealthStatus.CRITICAL ? "critical" : "high", a.sizeBytes() / MIB, s.label(),
                            num(s == HealthStatus.CRITICAL ? config.agentMemoryMb().critical()
                                    : config.agentMemoryMb().warning())));
                }
            }
            message = String.join("; ", parts) + "; run 'aml " + target + " prune' (see 'aml " + target
                    + " auto --dry-run')";
        }
        return new HealthCheck(HealthCheck.MEMORY_WITHIN_LIMITS, status, round(totalMb), "MB",
                config.globalMemoryMb(), message);
    }

    private HealthCheck index(Instant now, TreeScanner.Scan scan) {
        Threshold t = Threshold.warningAt(hours(config.indexMaxAge()));
        if (memory != null) {
            return new HealthCheck(HealthCheck.INDEX_EXISTS, HealthStatus.HEALTHY, Double.NaN, "in memory", null,
                    "Index is in memory: the runtime builds it from the store when the manager opens, so there is"
                    + " no index file to age");
        }
        if (!scan.indexExists() || scan.indexModified() == null) {
            return new HealthCheck(HealthCheck.INDEX_EXISTS, HealthStatus.WARNING, Double.NaN, "hours", t,
                    "Index does not exist; build it with 'aml " + root + " optimize index'");
        }
        double age = hours(Duration.between(scan.indexModified(), now));
        HealthStatus s = t.evaluate(age);
        String message = s == HealthStatus.HEALTHY
                ? String.format(Locale.ROOT, "Index is %.1f hours old", age)
                : String.format(Locale.ROOT, "Index is outdated (%.1f hours old); rebuild it with 'aml %s optimize"
                + " index'", age, root);
        return new HealthCheck(HealthCheck.INDEX_EXISTS, s, round(age), "hours", t, message);
    }

    private HealthCheck backup(Instant now, TreeScanner.Scan scan) {
        Threshold t = Threshold.warningAt(hours(config.backupMaxAge()));
        if (memory != null && rootlessBackupRoot == null) {
            return new HealthCheck(HealthCheck.RECENT_BACKUP, HealthStatus.HEALTHY, Double.NaN, "hours", null,
                    "Not applicable: " + store.describe() + " has no memory root and no backup root is configured"
                    + " (BackupConfig.backupRoot, --backup-root) for AML's logical backups; on PostgreSQL"
                    + " physical backups are the database's job (pg_dump, base backups with WAL archiving/PITR) and"
                    + " JdbcMemoryStore.exportTo writes a one-off logical export");
        }
        String where = rootlessBackupRoot == null ? "" : " --backup-root " + rootlessBackupRoot;
        String fix = "; run 'aml " + target + " backup create" + where + "'";
        List<BackupInfo> list;
        try {
            list = backups.get();
        } catch (RuntimeException e) {
            return new HealthCheck(HealthCheck.RECENT_BACKUP, HealthStatus.WARNING, Double.NaN, "hours", t,
                    "Backups cannot be listed: " + e.getMessage());
        }
        if (list.isEmpty()) {
            return new HealthCheck(HealthCheck.RECENT_BACKUP, HealthStatus.WARNING, Double.NaN, "hours", t,
                    "No backups found" + fix);
        }
        Optional<BackupInfo> newest = list.stream().filter(b -> b.verified() && b.complete())
                .max(Comparator.comparing(BackupInfo::timestamp));
        if (newest.isEmpty()) {
            return new HealthCheck(HealthCheck.RECENT_BACKUP, HealthStatus.WARNING, Double.NaN, "hours", t,
                    "No verified backup among " + list.size() + " (verify one with 'aml " + target
                    + " backup verify --backup-id <id>" + where + "')" + fix);
        }
        BackupInfo b = newest.get();
        double age = hours(Duration.between(b.timestamp(), now));
        HealthStatus s = t.evaluate(age);
        String message = s == HealthStatus.HEALTHY
                ? String.format(Locale.ROOT, "Latest verified backup %s is %.1f hours old", b.id(), age)
                : String.format(Locale.ROOT, "Latest backup is %.1f hours old (%s)%s", age, b.id(), fix);
        return new HealthCheck(HealthCheck.RECENT_BACKUP, s, round(age), "hours", t, message);
    }

    private HealthCheck integrity(TreeScanner.Scan scan) {
        if (memory != null) {
            if (scan.unreadableAgents().isEmpty()) {
                return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.HEALTHY, 0, "agents", null,
                        "All " + scan.agents().size() + " agents' items read");
            }
            List<String> parts = new ArrayList<>();
            scan.unreadableAgents().forEach((agent, reason) -> parts.add("Unreadable agent " + agent + ": " + reason));
            return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.CRITICAL, scan.unreadableAgents().size(),
                    "agents", null, String.join("; ", parts) + "; its rows were left untouched: repair or restore"
                    + " them in " + store.describe());
        }
        Path root = Objects.requireNonNull(this.root, "root");
        List<TreeScanner.Problem> problems = new ArrayList<>(scan.problems());
        for (Map.Entry<AgentId, CorruptDataException> e : store.unreadableAgents().entrySet()) {
            Path f = e.getValue().file().orElse(root.resolve(e.getKey().name()));
            if (problems.stream().noneMatch(p -> p.file().toAbsolutePath().equals(f.toAbsolutePath()))) {
                problems.add(new TreeScanner.Problem(f, String.valueOf(e.getValue().getMessage())));
            }
        }
        if (problems.isEmpty()) {
            int files = scan.agents().stream().mapToInt(a -> a.compressedFiles() + a.uncompressedFiles()).sum();
            return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.HEALTHY, 0, "files", null,
                    "All " + files + " item files parse");
        }
        List<String> parts = problems.stream().map(p -> "Corrupted file: " + rel(p.file()) + " " + p.reason())
                .toList();
        return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.CRITICAL, problems.size(), "files", null,
                String.join("; ", parts) + "; restore it with 'aml " + root
                + " backup restore --backup-id <id>' (see 'aml " + root + " backup list')");
    }

    private HealthCheck performance(QueryPerformance p) {
        Threshold t = config.queryTimeMillis();
        if (!p.hasQueries() && memory != null) {
            return new HealthCheck(HealthCheck.PERFORMANCE_OK, HealthStatus.HEALTHY, Double.NaN, "ms", t,
                    "No queries in this process yet: nothing to judge (without a memory root no counters are"
                    + " saved between processes)");
        }
        if (!p.hasQueries()) {
            return new HealthCheck(HealthCheck.PERFORMANCE_OK, HealthStatus.HEALTHY, Double.NaN, "ms", t,
                    "No queries recorded yet: nothing to judge (an application using AML saves its query counters"
                    + " in monitoring/performance.json on every monitor run)");
        }
        double avg = p.stats().avgQueryMillis();
        HealthStatus time = t.evaluate(avg);
        Optional<Double> rate = p.cacheHitRate();
        HealthStatus hits = rate.map(r -> config.cacheHitRate().evaluate(r)).orElse(HealthStatus.HEALTHY);
        String when = p.source() == QueryPerformance.Source.LIVE ? "live" : "as of " + p.measuredAt();
        List<String> parts = new ArrayList<>();
        if (time != HealthStatus.HEALTHY) {
            parts.add(String.format(Locale.ROOT, "Query performance degraded: %.2fms (%s at %s ms)", avg,
                    time.label(), num(time == HealthStatus.CRITICAL ? t.critical() : t.warning())));
        }
        if (hits != HealthStatus.HEALTHY) {
            parts.add(String.format(Locale.ROOT, "Low cache hit rate: %.1f%% (%s below %.0f%%)", rate.orElse(0.0)
                    * 100, hits.label(), 100 * (hits == HealthStatus.CRITICAL ? config.cacheHitRate().critical()
                    : config.cacheHitRate().warning())));
        }
        String summary = String.format(Locale.ROOT, "average query %.2fms, p95 %.2fms over %d queries, cache hit"
                + " rate %s (%s)", avg, p.stats().p95QueryMillis(), p.stats().queries(),
                rate.map(r -> String.format(Locale.ROOT, "%.1f%%", r * 100)).orElse("n/a"), when);
        String message = parts.isEmpty() ? "Queries fast: " + summary
                : String.join("; ", parts) + " - " + summary + "; run 'aml " + target + " optimize index' and 'aml "
                + target + " optimize warm-cache'";
        return new HealthCheck(HealthCheck.PERFORMANCE_OK, time.worst(hits), round(avg), "ms", t, message);
    }

    // ---------------------------------------------------------------------------------------------- alerts

    private List<AlertBook.Condition> conditions(MetricsSnapshot metrics, List<HealthCheck> checks,
            TreeScanner.Scan scan) {
        List<AlertBook.Condition> out = new ArrayList<>();
        MemoryMetrics m = metrics.memory();
        double totalMb = m.totalSizeBytes() / MIB;
        HealthStatus global = config.globalMemoryMb().evaluate(totalMb);
        if (global != HealthStatus.HEALTHY) {
            boolean crit = global == HealthStatus.CRITICAL;
            out.add(new AlertBook.Condition("memory.global", AlertLevel.of(global), "memory",
                    String.format(Locale.ROOT, "Global memory usage %s: %.1fMB", crit ? "critical" : "high", totalMb),
                    details("total_mb", round(totalMb), "limit_mb",
                            crit ? config.globalMemoryMb().critical() : config.globalMemoryMb().warning())));
        }
        for (AgentMetrics a : metrics.agents()) {
            double mb = a.sizeBytes() / MIB;
            HealthStatus s = config.agentMemoryMb().evaluate(mb);
            if (s != HealthStatus.HEALTHY) {
                out.add(new AlertBook.Condition("memory.agent." + a.agent(), AlertLevel.of(s), "memory",
                        String.format(Locale.ROOT, "Agent %s memory %s: %.1fMB", a.agent(),
                                s == HealthStatus.CRITICAL ? "critical" : "high", mb),
                        details("agent", a.agent(), "size_mb", round(mb))));
            }
        }
        QueryPerformance p = metrics.performance();
        if (p.hasQueries()) {
            double avg = p.stats().avgQueryMillis();
            HealthStatus time = config.queryTimeMillis().evaluate(avg);
            if (time != HealthStatus.HEALTHY) {
                out.add(new AlertBook.Condition("performance.query_time", AlertLevel.of(time), "performance",
                        String.format(Locale.ROOT, "Query performance degraded: %.2fms", avg),
                        details("avg_query_time_ms", round(avg))));
            }
        }
        p.cacheHitRate().ifPresent(rate -> {
            HealthStatus s = config.cacheHitRate().evaluate(rate);
            if (s != HealthStatus.HEALTHY) {
                out.add(new AlertBook.Condition("performance.cache_hit_rate", AlertLevel.of(s), "performance",
                        String.format(Locale.ROOT, "Low cache hit rate: %.1f%%", rate * 100),
                        details("cache_hit_rate", rate)));
            }
        });
        for (HealthCheck c : checks) {
            if (c.passed()) {
                continue;
            }
            switch (c.name()) {
                case HealthCheck.DIRECTORY_STRUCTURE -> out.add(checkCondition("structure", c));
                case HealthCheck.INDEX_EXISTS -> out.add(checkCondition("index", c));
                case HealthCheck.RECENT_BACKUP -> out.add(checkCondition("backup", c));
                default -> {
                    // memory and performance are raised above with Loom's messages; integrity per file below
                }
            }
        }
        List<TreeScanner.Problem> problems = new ArrayList<>(scan.problems());
        if (memory == null) { // a rootless scan already lists the store's unreadable agents
            store.unreadableAgents().forEach((agent, e) -> e.file().ifPresent(f -> {
                if (problems.stream().noneMatch(pr -> pr.file().toAbsolutePath().equals(f.toAbsolutePath()))) {
                    problems.add(new TreeScanner.Problem(f, String.valueOf(e.getMessage())));
                }
            }));
        }
        scan.unreadableAgents().forEach((agent, reason) -> out.add(new AlertBook.Condition("integrity.agent." + agent,
                AlertLevel.CRITICAL, "integrity", "Unreadable agent: " + agent, details("agent", agent, "reason",
                reason))));
        for (TreeScanner.Problem pr : problems) {
            String rel = rel(pr.file());
            out.add(new AlertBook.Condition("integrity." + rel, AlertLevel.CRITICAL, "integrity",
                    "Corrupted file: " + rel, details("file", rel, "reason", pr.reason())));
        }
        if (metrics.patternsPastAgeWarning() > 0) {
            boolean crit = metrics.patternsPastAgeCritical() > 0;
            out.add(new AlertBook.Condition("patterns.age", crit ? AlertLevel.CRITICAL : AlertLevel.WARNING,
                    "patterns", String.format(Locale.ROOT, "%d patterns unused for %s+ days (%d for %s+ days);"
                    + " prune with 'aml %s prune'", metrics.patternsPastAgeWarning(),
                    num(config.patternAgeDays().warning()), metrics.patternsPastAgeCritical(),
                    num(config.patternAgeDays().critical()), target),
                    details("past_warning", metrics.patternsPastAgeWarning(), "past_critical",
                            metrics.patternsPastAgeCritical())));
        }
        if (metrics.patternsBelowSuccessWarning() > 0) {
            boolean crit = metrics.patternsBelowSuccessCritical() > 0;
            out.add(new AlertBook.Condition("patterns.success_rate", crit ? AlertLevel.CRITICAL : AlertLevel.WARNING,
                    "patterns", String.format(Locale.ROOT, "%d patterns succeed less than %.0f%% of the time (%d"
                    + " less than %.0f%%)", metrics.patternsBelowSuccessWarning(),
                    config.successRate().warning() * 100, metrics.patternsBelowSuccessCritical(),
                    config.successRate().critical() * 100),
                    details("below_warning", metrics.patternsBelowSuccessWarning(), "below_critical",
                            metrics.patternsBelowSuccessCritical())));
        }
        return out;
    }

    private static AlertBook.Condition checkCondition(String category, HealthCheck c) {
        return new AlertBook.Condition("health." + c.name(), AlertLevel.of(c.status()), category, c.message(),
                details("check", c.name()));
    }

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

    // --------------------------------------------------------------------------------------------- helpers

    private String rel(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (root == null) {
            return file.toString();
        }
        Path r = root.toAbsolutePath().normalize();
        return abs.startsWith(r) ? r.relativize(abs).toString().replace('\\', '/') : file.toString();
    }

    private static Map<String, Object> details(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double hours(Duration d) {
        return d.toMillis() / 3_600_000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
