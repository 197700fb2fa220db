package dev.aml.maintenance.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a health run: the six checks, the overall status (the worst check), and the
 * warning and error messages in Loom's {@code health.json} style.
 *
 * @param timestamp when it ran
 * @param status the worst status of the checks
 * @param checks the six checks in Loom's order
 * @param warnings messages of checks with status warning, plus monitoring's own problems (e.g. an unreadable alerts file)
 * @param errors messages of checks with status critical
 * @param metrics what was measured on the way
 */
public record HealthReport(Instant timestamp, HealthStatus status, List<HealthCheck> checks, List<String> warnings,
        List<String> errors, MetricsSnapshot metrics) {

    /** Copies the lists; rejects nulls. */
    public HealthReport {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
        Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * @param name a check name, see {@link HealthCheck#NAMES}
     * @return that check, if it ran
     */
    public Optional<HealthCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The report in the shape of Loom's {@code health.json} ({@code timestamp, status, checks} as six
     * booleans, {@code warnings, errors, metrics}), plus AML's {@code check_details} with each check's
     * status, value, unit, levels and message. Query values are {@code null} when none were recorded.
     *
     * @return nested maps and lists ready for a JSON writer
     */
    public Map<String, Object> toLoomShape() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("timestamp", timestamp.toString());
        o.put("status", status.label());
        Map<String, Object> passed = new LinkedHashMap<>();
        checks.forEach(c -> passed.put(c.name(), c.passed()));
        o.put("checks", passed);
        o.put("warnings", warnings);
        o.put("errors", errors);
        Map<String, Object> m = new LinkedHashMap<>();
        MemoryMetrics mm = metrics.memory();
        m.put("total_size_mb", Math.round(mm.totalMb() * 1000.0) / 1000.0);
        m.put("agent_count", mm.agentCount());
        m.put("pattern_count", mm.patternCount());
        m.put("avg_query_time_ms", metrics.performance().avgQueryMillis().orElse(null));
        m.put("cache_hit_rate", metrics.performance().cacheHitRate().orElse(null));
        o.put("metrics", m);
        Map<String, Object> details = new LinkedHashMap<>();
        checks.forEach(c -> details.put(c.name(), MonitorReport.checkMap(c)));
        o.put("check_details", details);
        return o;
    }

    /** @return how many checks passed */
    public int passed() {
        return (int) checks.stream().filter(HealthCheck::passed).count();
    }
}
