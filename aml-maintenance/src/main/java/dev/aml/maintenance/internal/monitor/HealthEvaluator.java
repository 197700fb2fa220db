package dev.aml.maintenance.internal.monitor;

import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.MemoryStore;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.monitor.AgentMetrics;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MemoryMetrics;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.QueryPerformance;
import dev.aml.maintenance.monitor.Threshold;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The health evaluation of a memory, without side effects: from what a scan found, the metrics and
 * the thresholds, the six checks ({@link #checks}) and the alert conditions ({@link #conditions}).
 * It reads the store's unreadable agents and the backup list it is given, and writes nothing;
 * {@link DefaultMonitor} runs it and records the outcome (alerts, history, health files).
 */
final class HealthEvaluator {

    private static final double MIB = 1024.0 * 1024.0;

    private final @Nullable Path root;
    /** Whether the store has no tree on disk: checks about files are then "in memory" / not applicable. */
    private final boolean rootless;
    /** How fix hints name the memory: the root, or a placeholder for a store without one. */
    private final String target;
    private final MemoryStore store;
    private final MonitorConfig config;
    private final Supplier<List<BackupInfo>> backups;
    /** For a store without a memory root: where its backups live, if configured (else none are judged). */
    private final @Nullable Path rootlessBackupRoot;

    /**
     * @param root the memory root, or {@code null} for a store without one
     * @param rootless whether the store has no tree on disk
     * @param target how fix hints name the memory
     * @param store the store (unreadable agents)
     * @param config thresholds
     * @param backups the registered backups, newest first
     * @param rootlessBackupRoot where a rootless store's backups live, if configured
     */
    HealthEvaluator(@Nullable Path root, boolean rootless, String target, MemoryStore store, MonitorConfig config,
            Supplier<List<BackupInfo>> backups, @Nullable Path rootlessBackupRoot) {
        this.root = root;
        this.rootless = rootless;
        this.target = target;
        this.store = store;
        this.config = config;
        this.backups = backups;
        this.rootlessBackupRoot = rootlessBackupRoot;
    }

    /**
     * @param now the evaluation time
     * @param scan what the scan of the tree (or the store) found
     * @param metrics the metrics of this evaluation
     * @return the six health checks, in report order
     */
    List<HealthCheck> checks(Instant now, TreeScanner.Scan scan, MetricsSnapshot metrics) {
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
        if (rootless) {
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
        if (rootless) {
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
        if (rootless && rootlessBackupRoot == null) {
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
        if (rootless) {
            if (scan.unreadableAgents().isEmpty()) {
                return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.HEALTHY, 0,
                        "unreadable of " + scan.agents().size() + " agents", null,
                        "All " + scan.agents().size() + " agents' items read");
            }
            List<String> parts = new ArrayList<>();
            scan.unreadableAgents().forEach((agent, reason) -> parts.add("Unreadable agent " + agent + ": " + reason));
            return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.CRITICAL, scan.unreadableAgents().size(),
                    "unreadable of " + (scan.agents().size() + scan.unreadableAgents().size()) + " agents", null, String.join("; ", parts) + "; its rows were left untouched: repair or restore"
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
        int files = scan.agents().stream().mapToInt(a -> a.compressedFiles() + a.uncompressedFiles()).sum();
        if (problems.isEmpty()) {
            return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.HEALTHY, 0,
                    "unreadable of " + files + " files", null, "All " + files + " item files parse");
        }
        List<String> parts = problems.stream().map(p -> "Corrupted file: " + rel(p.file()) + " " + p.reason())
                .toList();
        return new HealthCheck(HealthCheck.FILE_INTEGRITY, HealthStatus.CRITICAL, problems.size(),
                "unreadable of " + Math.max(files, problems.size()) + " files", null,
                String.join("; ", parts) + "; restore it with 'aml " + root
                + " backup restore --backup-id <id>' (see 'aml " + root + " backup list')");
    }

    private HealthCheck performance(QueryPerformance p) {
        Threshold t = config.queryTimeMillis();
        if (!p.hasQueries() && rootless) {
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
        PerformanceSample sample = PerformanceSample.of(p, config);
        HealthStatus time = sample.judgesTime() ? t.evaluate(avg) : HealthStatus.HEALTHY;
        Optional<Double> rate = p.cacheHitRate();
        HealthStatus hits = sample.judgedHitRate(p).map(r -> config.cacheHitRate().evaluate(r))
                .orElse(HealthStatus.HEALTHY);
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
        String message = parts.isEmpty() && sample.shortfall().isPresent()
                ? "Healthy, " + sample.shortfall().get() + ": " + summary
                : parts.isEmpty() ? "Queries fast: " + summary
                : String.join("; ", parts) + " - " + summary + "; run 'aml " + target + " optimize index' and 'aml "
                + target + " optimize warm-cache'";
        return new HealthCheck(HealthCheck.PERFORMANCE_OK, time.worst(hits), round(avg), "ms", t, message);
    }


    /**
     * @param metrics the metrics of this evaluation
     * @param checks the checks {@link #checks} returned
     * @param scan what the scan found
     * @return the alert conditions that hold now (Loom's memory/performance messages, failed checks,
     *     one per unreadable agent or damaged file, pattern age and success)
     */
    List<AlertBook.Condition> conditions(MetricsSnapshot metrics, List<HealthCheck> checks,
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
        PerformanceSample sample = PerformanceSample.of(p, config);
        if (p.hasQueries() && sample.judgesTime()) {
            double avg = p.stats().avgQueryMillis();
            HealthStatus time = config.queryTimeMillis().evaluate(avg);
            if (time != HealthStatus.HEALTHY) {
                out.add(new AlertBook.Condition("performance.query_time", AlertLevel.of(time), "performance",
                        String.format(Locale.ROOT, "Query performance degraded: %.2fms", avg),
                        details("avg_query_time_ms", round(avg))));
            }
        }
        sample.judgedHitRate(p).ifPresent(rate -> {
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
        if (!rootless) { // a rootless scan already lists the store's unreadable agents
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
