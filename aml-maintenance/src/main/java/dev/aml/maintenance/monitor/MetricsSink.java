package dev.aml.maintenance.monitor;

/**
 * Where monitoring also publishes what it measured, for metrics systems such as Micrometer or
 * OpenTelemetry, without AML depending on any of them. Called on the monitoring thread after every
 * metrics or health run; implementations must be fast and should not throw (an exception is logged
 * and otherwise ignored, so a broken sink never breaks monitoring).
 *
 * <p>The README shows a Micrometer binding: keep the latest snapshot in an {@code AtomicReference}
 * and register gauges that read it.
 */
@FunctionalInterface
public interface MetricsSink {

    /** @return a sink that drops everything (the default) */
    static MetricsSink none() {
        return NoSink.INSTANCE;
    }

    /**
     * @param snapshot what one run measured
     */
    void publish(MetricsSnapshot snapshot);

    /**
     * Called after a health run, after {@link #publish(MetricsSnapshot)} of its metrics.
     *
     * @param report the health run
     */
    default void publishHealth(HealthReport report) {
    }
}

/** The do-nothing sink. */
enum NoSink implements MetricsSink {
    INSTANCE;

    @Override
    public void publish(MetricsSnapshot snapshot) {
    }

    @Override
    public String toString() {
        return "MetricsSink.none()";
    }
}
