package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorConfig;
import java.nio.file.Path;
import java.util.Optional;

/** Wires monitoring and the advisor to a {@link MemoryManager}. */
public final class Monitoring {

    private Monitoring() {
    }

    /**
     * @param aml the manager
     * @param config thresholds
     * @param state the manager's own monitor state, where a store without a memory root keeps its
     *     alerts and history for the manager's lifetime
     * @return a monitor on the manager's tree, live counters and backups; for a store without a memory
     *     root (PostgreSQL, in memory), a monitor that measures through the store and keeps alerts and
     *     history in memory for the manager's lifetime
     */
    public static Monitor monitor(MemoryManager aml, MonitorConfig config, MonitorState state) {
        Optional<Path> root = aml.root();
        if (root.isEmpty()) {
            Path backupRoot = aml.backupConfig().backupRoot();
            if (backupRoot != null) { // its backups are logical exports there: judged like a tree's
                return new DefaultMonitor(aml.store(), aml.clock(), config, aml::queryStats, state, backupRoot,
                        () -> aml.backups().list());
            }
            return new DefaultMonitor(aml.store(), aml.clock(), config, aml::queryStats, state);
        }
        return new DefaultMonitor(root.get(), aml.store(), aml.clock(), config, aml::queryStats,
                () -> aml.backups().list());
    }

    /**
     * @param aml the manager
     * @param config thresholds
     * @param state the manager's own monitor state (see {@link #monitor})
     * @return the decision matrix's steps for the tree now, runnable with {@link Advice#apply()}
     */
    public static Advice advise(MemoryManager aml, MonitorConfig config, MonitorState state) {
        HealthReport h = monitor(aml, config, state).health();
        Operations ops = Operations.of(aml);
        return new Advice(h, Advisor.steps(h, config), ops::run);
    }
}
