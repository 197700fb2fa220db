package dev.aml.maintenance.monitor;

import java.util.Locale;

/** Outcome of a health check or of a whole health run, ordered from good to bad. */
public enum HealthStatus {
    /** Within every threshold. */
    HEALTHY,
    /** A warning level is reached; act soon. */
    WARNING,
    /** A critical level is reached or data is unreadable; act now. */
    CRITICAL;

    /** @return the lower-case name Loom's files use ({@code healthy}, {@code warning}, {@code critical}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param other another status
     * @return the worse of the two
     */
    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
