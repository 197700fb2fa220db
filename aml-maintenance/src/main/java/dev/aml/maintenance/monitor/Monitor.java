package dev.aml.maintenance.monitor;

import dev.aml.maintenance.MemoryManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Monitoring of one memory tree: metrics, the six health checks, alerts and the report. Obtained
 * from {@link MemoryManager#monitor()}.
 *
 * <p>Every run measures the tree on disk (it never changes a memory item), raises or updates one
 * alert per condition that crosses a threshold, resolves the alerts whose condition cleared, drops
 * resolved alerts older than the retention, and saves Loom's {@code monitoring/metrics.json},
 * {@code alerts.json} and {@code health.json} atomically. An unreadable monitoring file is reported
 * and left untouched, never overwritten.
 */
public interface Monitor {

    /**
     * Measures sizes, counts and query performance, appends an entry to the metrics history and
     * updates the alerts.
     *
     * @return what was measured
     */
    MetricsSnapshot metrics();

    /**
     * Runs the six health checks (directory structure, memory within limits, index present and
     * fresh, recent verified backup, file integrity, query performance), updates the alerts and saves
     * {@code health.json}.
     *
     * @return the checks and the overall status
     */
    HealthReport health();

    /**
     * @return the unresolved alerts, oldest first
     * @throws dev.aml.core.CorruptDataException if {@code alerts.json} cannot be read
     */
    List<Alert> alerts();

    /**
     * @return every alert kept in {@code alerts.json}, resolved ones included
     * @throws dev.aml.core.CorruptDataException if {@code alerts.json} cannot be read
     */
    List<Alert> allAlerts();

    /**
     * Runs {@link #health()} and collects the active alerts.
     *
     * @return the report ({@link MonitorReport#toLoomShape()} gives Loom's JSON shape)
     */
    MonitorReport report();

    /**
     * @param window how far back to look
     * @return the metrics history entries not older than {@code window}, oldest first
     * @throws dev.aml.core.CorruptDataException if {@code metrics.json} cannot be read
     */
    List<MemoryMetrics> history(Duration window);

    /**
     * Raises an alert for a condition outside the health model (a failed scheduled backup, say), or
     * updates the open alert of the same condition. Such alerts stay open until
     * {@link #resolve(String)} is called with the condition.
     *
     * @param level severity
     * @param category e.g. {@code maintenance}
     * @param condition de-duplication key, e.g. {@code maintenance.backup}
     * @param message one line
     * @param details extra values
     * @return the open alert
     */
    Alert raise(AlertLevel level, String category, String condition, String message, Map<String, Object> details);

    /**
     * Resolves the open alert of {@code condition}, if any.
     *
     * @param condition the key given to {@link #raise}
     * @return whether an alert was resolved
     */
    boolean resolve(String condition);
}
