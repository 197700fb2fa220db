package dev.aml.maintenance.monitor;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A health run plus the active alerts: what {@code aml <path> monitor report} prints.
 *
 * @param health the health run (with its metrics)
 * @param activeAlerts unresolved alerts after the run
 */
public record MonitorReport(HealthReport health, List<Alert> activeAlerts) {

    /** Copies the list; rejects nulls. */
    public MonitorReport {
        Objects.requireNonNull(health, "health");
        activeAlerts = List.copyOf(activeAlerts);
    }

    /** @return when the report was made */
    public Instant timestamp() {
        return health.timestamp();
    }

    /** @return active alerts per level, every level present */
    public Map<AlertLevel, Integer> alertsByLevel() {
        Map<AlertLevel, Integer> m = new EnumMap<>(AlertLevel.class);
        for (AlertLevel l : AlertLevel.values()) {
            m.put(l, 0);
        }
        activeAlerts.forEach(a -> m.merge(a.level(), 1, Integer::sum));
        return m;
    }

    /**
     * The report in the shape of Loom's {@code generate_report()}, so
     * {@code aml … monitor report | jq '.performance'} and {@code jq '.memory'} work as the quick reference
     * shows. Values Loom's tool never measured are {@code null} rather than invented ({@code
     * index_build_time_ms}; query values without any recorded query). AML adds fields Loom's shape lacks
     * ({@code p95_query_time_ms}, {@code queries}, {@code source}, {@code measured_at}, per-agent sizes and
     * per-check details); every Loom field keeps its name and meaning.
     *
     * @return nested maps and lists ready for a JSON writer
     */
    public Map<String, Object> toLoomShape() {
        MetricsSnapshot s = health.metrics();
        MemoryMetrics m = s.memory();
        Map<String, Object> largest = new LinkedHashMap<>();
        largest.put("name", m.largestAgent());
        largest.put("size_mb", mb(m.largestAgentSizeBytes()));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("total_mb", mb(m.totalSizeBytes()));
        memory.put("agents", m.agentCount());
        memory.put("patterns", m.patternCount());
        memory.put("solutions", m.solutionCount());
        memory.put("decisions", m.decisionCount());
        memory.put("largest_agent", largest);
        memory.put("total_size_bytes", m.totalSizeBytes());
        memory.put("avg_pattern_size_bytes", m.avgPatternSizeBytes());
        memory.put("compressed_files", m.compressedFiles());
        memory.put("uncompressed_files", m.uncompressedFiles());
        memory.put("index_size_bytes", m.indexSizeBytes());
        List<Map<String, Object>> agents = s.agents().stream().map(a -> {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("name", a.agent());
            am.put("size_mb", mb(a.sizeBytes()));
            am.put("patterns", a.patterns());
            am.put("solutions", a.solutions());
            am.put("decisions", a.decisions());
            return am;
        }).toList();
        memory.put("by_agent", agents);

        Map<String, Object> performance = performanceMap(s.performance());

        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("status", health.status().label());
        checks.put("passed", health.passed());
        checks.put("total", health.checks().size());
        checks.put("warnings", health.warnings());
        checks.put("errors", health.errors());
        Map<String, Object> details = new LinkedHashMap<>();
        for (HealthCheck c : health.checks()) {
            details.put(c.name(), checkMap(c));
        }
        checks.put("checks", details);

        Map<String, Object> byLevel = new LinkedHashMap<>();
        alertsByLevel().forEach((l, n) -> byLevel.put(l.label(), n));
        Map<String, Object> alerts = new LinkedHashMap<>();
        alerts.put("active", activeAlerts.size());
        alerts.put("by_level", byLevel);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("timestamp", timestamp().toString());
        report.put("status", health.status().label());
        report.put("memory", memory);
        report.put("performance", performance);
        report.put("health_checks", checks);
        report.put("alerts", alerts);
        return report;
    }

    /**
     * @param p query performance
     * @return Loom's {@code performance} object ({@code avg_query_time_ms, cache_hit_rate,
     *     index_build_time_ms}) plus {@code p95_query_time_ms, queries, source, measured_at}; values that
     *     were not measured are {@code null}
     */
    public static Map<String, Object> performanceMap(QueryPerformance p) {
        Map<String, Object> performance = new LinkedHashMap<>();
        performance.put("avg_query_time_ms", p.avgQueryMillis().orElse(null));
        performance.put("cache_hit_rate", p.cacheHitRate().orElse(null));
        performance.put("index_build_time_ms", null);
        performance.put("p95_query_time_ms", p.p95QueryMillis().orElse(null));
        performance.put("queries", p.stats().queries());
        performance.put("source", p.source().name().toLowerCase(java.util.Locale.ROOT));
        performance.put("measured_at", p.measuredAt() == null ? null : p.measuredAt().toString());
        return performance;
    }

    /**
     * @param c a check
     * @return its fields as a JSON-ready map ({@code status, value, unit, warning, critical, message})
     */
    public static Map<String, Object> checkMap(HealthCheck c) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("status", c.status().label());
        cm.put("value", Double.isFinite(c.value()) ? c.value() : null);
        cm.put("unit", c.unit());
        cm.put("warning", c.threshold() == null ? null : c.threshold().warning());
        cm.put("critical", c.threshold() == null || !Double.isFinite(c.threshold().critical()) ? null
                : c.threshold().critical());
        cm.put("message", c.message());
        return cm;
    }

    private static double mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0) * 1000.0) / 1000.0;
    }
}
