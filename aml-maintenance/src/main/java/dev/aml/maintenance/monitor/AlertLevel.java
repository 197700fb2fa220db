package dev.aml.maintenance.monitor;

import java.util.Locale;

/** Severity of an {@link Alert}, as in Loom's {@code alerts.json}. */
public enum AlertLevel {
    /** For information. */
    INFO,
    /** A warning threshold is reached. */
    WARNING,
    /** An operation failed (for instance a scheduled backup). */
    ERROR,
    /** A critical threshold is reached or data is unreadable. */
    CRITICAL;

    /** @return the lower-case name used in {@code alerts.json} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label a level as written in {@code alerts.json}, any case
     * @return the level
     * @throws IllegalArgumentException if it is not one of {@code info, warning, error, critical}
     */
    public static AlertLevel ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /**
     * @param status a health status other than healthy
     * @return the alert level for it
     */
    public static AlertLevel of(HealthStatus status) {
        return status == HealthStatus.CRITICAL ? CRITICAL : WARNING;
    }
}
