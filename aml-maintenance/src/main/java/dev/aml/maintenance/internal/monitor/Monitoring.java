package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.HealthReport;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.Monitor;
import dev.aml.maintenance.MonitorConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/** Wires monitoring and the advisor to a {@link MemoryManager}. */
public final class Monitoring {

    private Monitoring() {
    }

    /**
     * Alerts and history of managers whose store has no root, kept for each manager's lifetime (weakly:
     * a manager that is gone takes its state with it).
     */
    private static final Map<MemoryManager, DefaultMonitor.MemoryState> ROOTLESS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param aml the manager
     * @param config thresholds
     * @return a monitor on the manager's tree, live counters and backups; for a store without a memory
     *     root (PostgreSQL, in memory), a monitor that measures through the store and keeps alerts and
     *     history in memory for the manager's lifetime
     */
    public static Monitor monitor(MemoryManager aml, MonitorConfig config) {
        Optional<Path> root = aml.root();
        if (root.isEmpty()) {
            DefaultMonitor.MemoryState state = ROOTLESS.computeIfAbsent(aml, m -> new DefaultMonitor.MemoryState());
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
     * @return the decision matrix's steps for the tree now, runnable with {@link Advice#apply()}
     */
    public static Advice advise(MemoryManager aml, MonitorConfig config) {
        HealthReport h = monitor(aml, config).health();
        Operations ops = Operations.of(aml);
        return new Advice(h, Advisor.steps(h, config), ops::run);
    }
}
