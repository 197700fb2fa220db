package dev.aml.spring.boot;

import dev.aml.maintenance.MaintenanceScheduler;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.SmartLifecycle;

/**
 * The seed's maintenance plan ({@link MaintenanceScheduler#seedPlan}) as a {@link SmartLifecycle}:
 * started with the context, stopped (the pending wake-up cancelled, a running task allowed to finish,
 * the thread ended) before the {@code MemoryManager} closes. A stopped plan does not start again.
 */
public final class AmlMaintenance implements SmartLifecycle {

    private final MaintenanceScheduler scheduler;
    private final ScheduledExecutorService executor;
    private volatile boolean running;

    /**
     * @param scheduler the plan
     * @param executor its executor, shut down on {@link #stop()}
     */
    public AmlMaintenance(MaintenanceScheduler scheduler, ScheduledExecutorService executor) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** @return the scheduler (its tasks, next runs and finished runs) */
    public MaintenanceScheduler scheduler() {
        return scheduler;
    }

    @Override
    public synchronized void start() {
        scheduler.start();
        running = true;
    }

    @Override
    public synchronized void stop() {
        scheduler.close();
        executor.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
