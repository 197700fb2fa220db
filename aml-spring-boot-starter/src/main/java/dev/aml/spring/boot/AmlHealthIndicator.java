package dev.aml.spring.boot;

import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.Monitor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * AML's six health checks as the Actuator component {@code aml}: healthy is {@code UP}, warning is
 * {@code UP} with the warning checks in the details, critical is {@code DOWN}. The details always
 * hold {@code status} (healthy, warning or critical) and {@code passed} (of 6), plus {@code warnings}
 * and {@code errors}: the failing checks by name with their messages (and monitoring's own problems
 * under {@code monitoring}). A run is reused for {@code aml.health.max-age} (every run reads every item
 * file).
 */
public final class AmlHealthIndicator implements HealthIndicator {

    private final Monitor monitor;
    private final Clock clock;
    private final Duration maxAge;
    private @Nullable HealthReport last;
    private @Nullable Instant lastAt;

    /**
     * @param monitor runs the checks
     * @param clock measures {@code maxAge}
     * @param maxAge how long a run is reused; zero runs the checks on every call
     */
    public AmlHealthIndicator(Monitor monitor, Clock clock, Duration maxAge) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public Health health() {
        return toHealth(report());
    }

    private synchronized HealthReport report() {
        Instant now = clock.instant();
        if (last == null || lastAt == null || maxAge.isZero() || !now.isBefore(lastAt.plus(maxAge))) {
            last = monitor.health();
            lastAt = now;
        }
        return last;
    }

    /**
     * @param report a health run
     * @return it as Actuator health
     */
    static Health toHealth(HealthReport report) {
        Health.Builder b = report.status() == HealthStatus.CRITICAL ? Health.down() : Health.up();
        b.withDetail("status", report.status().label()).withDetail("passed", report.passed());
        Map<String, String> warnings = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (HealthCheck c : report.checks()) {
            if (c.status() == HealthStatus.WARNING) {
                warnings.put(c.name(), c.message());
            } else if (c.status() == HealthStatus.CRITICAL) {
                errors.put(c.name(), c.message());
            }
        }
        java.util.List<String> own = report.warnings().stream()
                .filter(w -> !warnings.containsValue(w) && !errors.containsValue(w)).toList();
        if (!own.isEmpty()) {
            warnings.put("monitoring", String.join("; ", own));
        }
        if (!warnings.isEmpty()) {
            b.withDetail("warnings", warnings);
        }
        if (!errors.isEmpty()) {
            b.withDetail("errors", errors);
        }
        return b.build();
    }
}
