package dev.aml.maintenance;

import java.time.Instant;
import java.util.List;
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

    /** @return how many checks passed */
    public int passed() {
        return (int) checks.stream().filter(HealthCheck::passed).count();
    }
}
