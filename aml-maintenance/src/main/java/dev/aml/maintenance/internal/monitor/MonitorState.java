package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.MemoryMetrics;
import java.util.List;

/**
 * Alerts and metrics history of a store without a tree on disk, kept in memory (guarded by its own
 * monitor lock) for as long as the {@code MemoryManager} that owns it: the manager holds one and
 * gives it to every monitor it creates, so they share alerts and history. (A tree's state lives in
 * its {@code monitoring/} files.)
 */
public final class MonitorState {
    private List<Alert> alerts = List.of();
    private final java.util.ArrayDeque<MemoryMetrics> history = new java.util.ArrayDeque<>();

    /** Creates an empty state. */
    public MonitorState() {
    }

    synchronized List<Alert> alerts() {
        return alerts;
    }

    synchronized List<MemoryMetrics> history() {
        return List.copyOf(history);
    }

    synchronized <T> T update(java.util.function.Function<List<Alert>, List<Alert>> change,
            java.util.function.Function<List<Alert>, T> result) {
        alerts = List.copyOf(change.apply(alerts));
        return result.apply(alerts);
    }

    synchronized void record(MemoryMetrics m, int limit) {
        history.addLast(m);
        while (history.size() > limit) {
            history.removeFirst();
        }
    }
}
