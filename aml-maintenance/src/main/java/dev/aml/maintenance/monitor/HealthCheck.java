package dev.aml.maintenance.monitor;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of one of the six health checks.
 *
 * @param name the check, one of {@link #NAMES}
 * @param status its status
 * @param value the measured value in {@code unit} ({@code NaN} when nothing could be measured)
 * @param unit the unit of {@code value} and {@code threshold}, e.g. {@code "MB"}, {@code "hours"}, {@code "files"}
 * @param threshold the levels applied, {@code null} for checks that are simply pass/fail
 * @param message what was found and, when not healthy, what to do
 */
public record HealthCheck(String name, HealthStatus status, double value, String unit, @Nullable Threshold threshold,
        String message) {

    /** {@value} */
    public static final String DIRECTORY_STRUCTURE = "directory_structure";
    /** {@value} */
    public static final String MEMORY_WITHIN_LIMITS = "memory_within_limits";
    /** {@value} */
    public static final String INDEX_EXISTS = "index_exists";
    /** {@value} */
    public static final String RECENT_BACKUP = "recent_backup";
    /** {@value} */
    public static final String FILE_INTEGRITY = "file_integrity";
    /** {@value} */
    public static final String PERFORMANCE_OK = "performance_ok";
    /** The six checks, in Loom's order (the keys of {@code health.json}'s {@code checks}). */
    public static final java.util.List<String> NAMES = java.util.List.of(DIRECTORY_STRUCTURE, MEMORY_WITHIN_LIMITS,
            INDEX_EXISTS, RECENT_BACKUP, FILE_INTEGRITY, PERFORMANCE_OK);

    /** Rejects nulls. */
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(message, "message");
    }

    /** @return whether the check passed (healthy), the boolean Loom's {@code health.json} stores */
    public boolean passed() {
        return status == HealthStatus.HEALTHY;
    }
}
