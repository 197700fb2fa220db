package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.HealthReport;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.Monitor;
import dev.aml.maintenance.MonitorConfig;
import java.nio.file.Path;

/** Wires monitoring and the advisor to a {@link MemoryManager}. */
public final class Monitoring {

    private Monitoring() {
    }

    /**
     * @param aml the manager
     * @param config thresholds
     * @return a monitor on the manager's tree, live counters and backups
     * @throws IllegalStateException if the manager's store has no root on disk
     */
    public static Monitor monitor(MemoryManager aml, MonitorConfig config) {
        Path root = aml.root().orElseThrow(() -> new IllegalStateException("monitoring reads the tree on disk, but "
                + aml.store().describe() + " has no memory root; open the manager on a directory"));
        return new DefaultMonitor(root, aml.store(), aml.clock(), config, aml::queryStats,
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
