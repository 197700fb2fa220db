package dev.aml.cli;

import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.AgentMetrics;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MemoryMetrics;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorReport;
import dev.aml.maintenance.monitor.QueryPerformance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aml <path> monitor health|metrics|alerts|report}. The tree is opened read-only, so these
 * commands work while an application writes to it; they write only {@code monitoring/*.json}. On a
 * store without a tree (PostgreSQL) they measure the store's items and write nothing; {@code alerts}
 * then evaluates first, since no earlier run left alerts behind.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {MonitorCommand.Health.class, MonitorCommand.Metrics.class, MonitorCommand.Alerts.class, MonitorCommand.Report.class},
        description = "Health checks, metrics, alerts and the JSON report.")
final class MonitorCommand {

    private MonitorCommand() {
    }

    /**
     * @param aml an open manager
     * @return its monitor (of the tree on disk, or, for a store without one such as PostgreSQL, of the
     *     store's items, with alerts and history kept only for this run)
     */
    static Monitor monitorOf(MemoryManager aml) {
        return aml.monitor();
    }

    /** @return the exit code of a health status: 0 healthy, 1 warning, 2 critical */
    static int exitCode(HealthStatus status) {
        return switch (status) {
            case HEALTHY -> ExitCodes.OK;
            case WARNING -> ExitCodes.WARNING;
            case CRITICAL -> ExitCodes.CRITICAL;
        };
    }

    /** {@code health}. */
    @Command(name = "health", mixinStandardHelpOptions = true,
            description = {"Run the six health checks.", "Exit code: 0 healthy, 1 warning, 2 critical."})
    static final class Health extends LeafCommand {

        @Mixin
        BackupRootOption where;

        @Override
        @Nullable Path backupRoot() {
            return where.backupRoot();
        }
        @Override
        public Integer call() {
            HealthReport r;
            try (MemoryManager aml = openManagerReadOnly()) {
                r = withProgress("Checking health", () -> monitorOf(aml).health());
            }
            Output o = output();
            if (o.isJson()) {
                o.json(r.toLoomShape());
            } else {
                printHealth(o, r);
            }
            return exitCode(r.status());
        }
    }

    static void printHealth(Output o, HealthReport r) {
        o.line("🏥 Running health check...");
        o.line("");
        o.line("Status: " + emoji(r.status()) + " " + r.status().name());
        o.line("");
        o.line("Checks:");
        Output.Table t = o.table("", "Check", "Status", "Value", "Warning", "Critical");
        for (HealthCheck c : r.checks()) {
            t.row(c.passed() ? "✓" : "✗", c.name(), c.status().label(), value(c.value(), c.unit()),
                    c.threshold() == null ? null : value(c.threshold().warning(), c.unit()),
                    c.threshold() == null ? null : value(c.threshold().critical(), c.unit()));
        }
        t.print();
        if (!r.warnings().isEmpty()) {
            o.line("");
            o.line("⚠️  Warnings:");
            r.warnings().forEach(w -> o.line("   - " + w));
        }
        if (!r.errors().isEmpty()) {
            o.line("");
            o.line("🚨 Errors:");
            r.errors().forEach(e -> o.line("   - " + e));
        }
    }

    private static String emoji(HealthStatus s) {
        return switch (s) {
            case HEALTHY -> "✅";
            case WARNING -> "⚠️";
            case CRITICAL -> "🚨";
        };
    }

    private static String value(double v, String unit) {
        if (!Double.isFinite(v)) {
            return null;
        }
        String n = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.2f", v);
        return n + " " + unit;
    }

    /** {@code metrics}. */
    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "Sizes and counts per agent, pattern signals and query performance.")
    static final class Metrics extends LeafCommand {
        @Override
        public Integer call() {
            MetricsSnapshot s;
            try (MemoryManager aml = openManagerReadOnly()) {
                s = withProgress("Collecting metrics", () -> monitorOf(aml).metrics());
            }
            Output o = output();
            if (o.isJson()) {
                o.json(metricsJson(s));
                return ExitCodes.OK;
            }
            MemoryMetrics m = s.memory();
            o.line("📊 Collecting memory metrics...");
            o.line("");
            o.line("Memory Usage:");
            o.line("   Total size: " + Output.size(m.totalSizeBytes()));
            o.line("   Agents: " + m.agentCount());
            o.line("   Patterns: " + Output.count(m.patternCount()));
            o.line("   Solutions: " + Output.count(m.solutionCount()));
            o.line("   Decisions: " + Output.count(m.decisionCount()));
            o.line("   Largest agent: " + m.largestAgent() + " (" + Output.size(m.largestAgentSizeBytes()) + ")");
            o.line("   Files: " + m.uncompressedFiles() + " plain, " + m.compressedFiles() + " gzip; index "
                    + Output.size(m.indexSizeBytes()) + "; average pattern " + Output.size(
                            Math.round(m.avgPatternSizeBytes())));
            if (!s.agents().isEmpty()) {
                o.line("");
                Output.Table t = o.table("Agent", "Size", "Patterns", "Solutions", "Decisions", "Gzip files");
                for (AgentMetrics a : s.agents()) {
                    t.row(a.agent(), Output.size(a.sizeBytes()), Output.count(a.patterns()),
                            Output.count(a.solutions()), Output.count(a.decisions()), a.compressedFiles());
                }
                t.print();
            }
            o.line("");
            o.line("Patterns:");
            o.line("   Unused 60+ days: " + s.patternsPastAgeWarning() + " (90+ days: " + s.patternsPastAgeCritical()
                    + ")");
            o.line("   Success rate under 30 %: " + s.patternsBelowSuccessWarning() + " (under 20 %: "
                    + s.patternsBelowSuccessCritical() + ")");
            o.line("");
            o.line("Performance:");
            printPerformance(o, s.performance());
            return ExitCodes.OK;
        }
    }

    static void printPerformance(Output o, QueryPerformance p) {
        if (!p.hasQueries()) {
            o.line("   No queries recorded yet (applications using AML save their live counters on each monitor run)");
            return;
        }
        String when = p.source() == QueryPerformance.Source.LIVE ? "this process" : "as of " + p.measuredAt();
        o.line("   Queries: " + Output.count(p.stats().queries()) + " (" + when + ")");
        o.line("   Average query time: " + Output.millis(p.stats().avgQueryMillis()) + " (p95 "
                + Output.millis(p.stats().p95QueryMillis()) + ")");
        o.line("   Cache hit rate: " + p.cacheHitRate().map(Output::percent).orElse("no cache lookups"));
    }

    static Map<String, Object> metricsJson(MetricsSnapshot s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        MemoryMetrics m = s.memory();
        doc.put("timestamp", m.timestamp().toString());
        doc.put("memory", m);
        doc.put("agents", s.agents());
        Map<String, Object> patterns = new LinkedHashMap<>();
        patterns.put("past_age_warning", s.patternsPastAgeWarning());
        patterns.put("past_age_critical", s.patternsPastAgeCritical());
        patterns.put("below_success_warning", s.patternsBelowSuccessWarning());
        patterns.put("below_success_critical", s.patternsBelowSuccessCritical());
        doc.put("patterns", patterns);
        doc.put("performance", MonitorReport.performanceMap(s.performance()));
        return doc;
    }

    /** {@code alerts}. */
    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = {"Active alerts (from the last monitor run; run 'monitor health' to refresh).",
                "Exit code: 0 none or only info, 1 warning or error alerts, 2 a critical alert."})
    static final class Alerts extends LeafCommand {

        @Mixin
        BackupRootOption where;

        @Override
        @Nullable Path backupRoot() {
            return where.backupRoot();
        }
        @Option(names = "--all", description = "Include resolved alerts still within retention (7 days).")
        boolean all;

        @Override
        public Integer call() {
            List<Alert> alerts;
            try (MemoryManager aml = openManagerReadOnly()) {
                Monitor m = monitorOf(aml);
                if (aml.root().isEmpty()) {
                    m.health(); // nothing persists between runs without a tree: evaluate now
                }
                alerts = all ? m.allAlerts() : m.alerts();
            }
            long active = alerts.stream().filter(a -> !a.resolved()).count();
            Output o = output();
            if (o.isJson()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("active", active);
                doc.put("alerts", alerts.stream().map(MonitorCommand::alertJson).toList());
                o.json(doc);
            } else {
                o.line("🚨 Active Alerts: " + active);
                o.line("");
                if (alerts.isEmpty()) {
                    o.line("✅ No active alerts");
                }
                for (Alert a : alerts) {
                    o.line(alertEmoji(a) + " [" + a.level().name() + "] " + a.category()
                            + (a.resolved() ? " (resolved " + a.resolvedAt() + ")" : ""));
                    o.line("   " + a.message());
                    o.line("   Time: " + a.timestamp() + (a.occurrences() > 1 ? " (seen " + a.occurrences()
                            + " times, last " + a.details().get(Alert.LAST_SEEN) + ")" : ""));
                    o.line("");
                }
            }
            HealthStatus worst = HealthStatus.HEALTHY;
            for (Alert a : alerts) {
                if (!a.resolved()) {
                    worst = worst.worst(switch (a.level()) {
                        case INFO -> HealthStatus.HEALTHY;
                        case WARNING, ERROR -> HealthStatus.WARNING;
                        case CRITICAL -> HealthStatus.CRITICAL;
                    });
                }
            }
            return exitCode(worst);
        }
    }

    private static String alertEmoji(Alert a) {
        return switch (a.level()) {
            case INFO -> "ℹ️";
            case WARNING -> "⚠️";
            case ERROR -> "❌";
            case CRITICAL -> "🚨";
        };
    }

    static Map<String, Object> alertJson(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("timestamp", a.timestamp().toString());
        m.put("level", a.level().label());
        m.put("category", a.category());
        m.put("message", a.message());
        m.put("details", a.details());
        m.put("resolved", a.resolved());
        m.put("resolved_at", a.resolvedAt() == null ? null : a.resolvedAt().toString());
        return m;
    }

    /** {@code report}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"One JSON document on stdout: memory, performance, health_checks, alerts",
                "(so 'aml <path> monitor report | jq .performance' works). Exit code as 'health'."})
    static final class Report extends LeafCommand {

        @Mixin
        BackupRootOption where;

        @Override
        @Nullable Path backupRoot() {
            return where.backupRoot();
        }
        @Override
        public Integer call() {
            MonitorReport r;
            try (MemoryManager aml = openManagerReadOnly()) {
                r = withProgress("Building the report", () -> monitorOf(aml).report());
            }
            output().json(r.toLoomShape());
            return exitCode(r.health().status());
        }
    }
}
