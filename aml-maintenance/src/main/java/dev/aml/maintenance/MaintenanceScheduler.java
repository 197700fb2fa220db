package dev.aml.maintenance;

import dev.aml.maintenance.internal.monitor.Operations;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.Monitor;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optional in-process scheduler for the quick reference's cron plan, for applications that keep
 * AML open all day instead of using cron:
 *
 * <pre>{@code
 * try (MaintenanceScheduler s = MaintenanceScheduler.seedPlan(aml, executor).build()) {
 *     s.start();   // daily backup 02:00, prune Sunday 03:00, health 06:00, optimize on the 1st at 04:00
 *     ...
 * }
 * }</pre>
 *
 * <p>Design. Only one wake-up is ever pending on the injected {@link ScheduledExecutorService}: at
 * the earliest next run of any task. A wake-up runs every task that is due, one after another, and
 * then schedules the next wake-up, so two operations never run at once, whatever the executor's
 * thread count (and the store's maintenance lock also refuses overlap with other processes). All
 * times come from the injected {@link Clock}, in its zone; a run missed while the process slept runs
 * once at the next wake-up. A task that throws is logged and raised as an {@code error} alert in
 * category {@code maintenance} (condition {@code maintenance.<task>}); its next success resolves it.
 * The scheduler never stops because one task failed.
 */
public final class MaintenanceScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);

    /**
     * One scheduled operation.
     *
     * @param name e.g. {@code backup}; used in logs and alert conditions
     * @param schedule when it runs
     * @param action what it runs
     */
    public record Task(String name, Schedule schedule, Runnable action) {
        /** Rejects nulls and blank names. */
        public Task {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("task name must not be blank");
            }
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * One finished run.
     *
     * @param task the task's name
     * @param started when it started
     * @param finished when it finished
     * @param error the error message, {@code null} on success
     */
    public record Run(String task, Instant started, Instant finished, @Nullable String error) {
        /** @return whether it succeeded */
        public boolean succeeded() {
            return error == null;
        }
    }

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final List<Task> tasks;
    private final @Nullable Monitor alerts;
    private final Map<String, ZonedDateTime> next = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();
    private @Nullable ScheduledFuture<?> pending;
    private boolean running;
    private boolean closed;

    private MaintenanceScheduler(Builder b) {
        this.executor = Objects.requireNonNull(b.executor, "executor");
        this.clock = b.clock != null ? b.clock : Clock.systemDefaultZone();
        this.tasks = List.copyOf(b.tasks.values());
        this.alerts = b.alerts;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The quick reference's plan on {@code aml}: {@code backup} (backups auto) daily at 02:00,
     * {@code prune} (default strategies, backup first) Sundays at 03:00, {@code health} daily at 06:00,
     * {@code optimize} (all) on the 1st of the month at 04:00. Alerts go to {@code aml.monitor()}; the
     * clock is {@code aml.clock()}.
     *
     * @param aml the manager
     * @param executor runs the wake-ups
     * @return a builder with the four tasks (more can be added)
     */
    public static Builder seedPlan(MemoryManager aml, ScheduledExecutorService executor) {
        return seedPlan(aml, aml.monitor(), executor);
    }

    /**
     * The quick reference's plan as {@link #seedPlan(MemoryManager, ScheduledExecutorService)}, with
     * the health task and the alerts on {@code monitor} (one with a metrics sink, say).
     *
     * @param aml the manager
     * @param monitor runs the health task and receives failure alerts
     * @param executor runs the wake-ups
     * @return a builder with the four tasks (more can be added)
     */
    public static Builder seedPlan(MemoryManager aml, Monitor monitor, ScheduledExecutorService executor) {
        Objects.requireNonNull(monitor, "monitor");
        Operations ops = Operations.of(aml);
        return builder().executor(executor).clock(aml.clock()).alerts(monitor)
                .task("backup", Schedule.daily(LocalTime.of(2, 0)), ops::backupAuto)
                .task("prune", Schedule.weekly(DayOfWeek.SUNDAY, LocalTime.of(3, 0)), () -> ops.prune(false))
                .task("health", Schedule.daily(LocalTime.of(6, 0)), monitor::health)
                .task("optimize", Schedule.monthly(1, LocalTime.of(4, 0)), ops::optimizeAll);
    }

    /** Schedules the first wake-up. Calling it twice does nothing. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the scheduler is closed");
        }
        if (!next.isEmpty()) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        for (Task t : tasks) {
            next.put(t.name(), t.schedule().nextAfter(now));
        }
        scheduleWakeUp();
    }

    /** @return the names of the tasks, in the order they were added */
    public List<String> taskNames() {
        return tasks.stream().map(Task::name).toList();
    }

    /** @return when each task runs next (empty before {@link #start()}) */
    public synchronized Map<String, ZonedDateTime> nextRuns() {
        return Map.copyOf(next);
    }

    /** @return the finished runs, oldest first */
    public synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    /** @return the time of the pending wake-up, if any */
    public synchronized Optional<ZonedDateTime> nextWakeUp() {
        return next.values().stream().min(ZonedDateTime::compareTo);
    }

    private void scheduleWakeUp() {
        Optional<ZonedDateTime> at = nextWakeUp();
        if (closed || at.isEmpty()) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at.get().toInstant()).toMillis());
        pending = executor.schedule(this::wakeUp, delay, TimeUnit.MILLISECONDS);
    }

    /** Runs every due task, one at a time, then schedules the next wake-up. */
    void wakeUp() {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            if (closed || running) {
                return;
            }
            running = true;
            ZonedDateTime now = ZonedDateTime.now(clock);
            for (Task t : tasks) {
                ZonedDateTime at = next.get(t.name());
                if (at != null && !at.isAfter(now)) {
                    due.add(t);
                }
            }
        }
        try {
            for (Task t : due) {
                runOne(t);
            }
        } finally {
            synchronized (this) {
                running = false;
                ZonedDateTime now = ZonedDateTime.now(clock);
                for (Task t : due) {
                    next.put(t.name(), t.schedule().nextAfter(now));
                }
                scheduleWakeUp();
            }
        }
    }

    private void runOne(Task t) {
        Instant started = clock.instant();
        String error = null;
        try {
            LOG.info("scheduled {} starting", t.name());
            t.action().run();
            LOG.info("scheduled {} done", t.name());
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("scheduled {} failed: {}", t.name(), error, e);
        }
        Run run = new Run(t.name(), started, clock.instant(), error);
        synchronized (this) {
            runs.add(run);
            if (runs.size() > 1000) {
                runs.remove(0);
            }
        }
        report(run);
    }

    private void report(Run run) {
        if (alerts == null) {
            return;
        }
        String condition = "maintenance." + run.task();
        try {
            if (run.succeeded()) {
                alerts.resolve(condition);
            } else {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("task", run.task());
                details.put("error", run.error());
                alerts.raise(AlertLevel.ERROR, "maintenance", condition, "Scheduled " + run.task() + " failed: "
                        + run.error(), details);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot record the alert of scheduled {}: {}", run.task(), e.getMessage(), e);
        }
    }

    /** Cancels the pending wake-up; a task already running finishes. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** Builds a {@link MaintenanceScheduler}; each option may be set once, task names must be unique. */
    public static final class Builder {
        private @Nullable ScheduledExecutorService executor;
        private @Nullable Clock clock;
        private @Nullable Monitor alerts;
        private final Map<String, Task> tasks = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param newExecutor runs the wake-ups (required)
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService newExecutor) {
            if (executor != null) {
                throw new IllegalStateException("executor was already set to " + executor);
            }
            executor = Objects.requireNonNull(newExecutor, "executor");
            return this;
        }

        /**
         * @param newClock the clock; its zone is the zone of the schedules (default: system clock and zone)
         * @return this builder
         */
        public Builder clock(Clock newClock) {
            if (clock != null) {
                throw new IllegalStateException("clock was already set to " + clock);
            }
            clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /**
         * @param monitor where failures become alerts (default: only logged)
         * @return this builder
         */
        public Builder alerts(Monitor monitor) {
            if (alerts != null) {
                throw new IllegalStateException("alerts was already set to " + alerts);
            }
            alerts = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /**
         * @param name unique task name
         * @param schedule when it runs
         * @param action what it runs
         * @return this builder
         */
        public Builder task(String name, Schedule schedule, Runnable action) {
            Task t = new Task(name, schedule, action);
            if (tasks.putIfAbsent(name, t) != null) {
                throw new IllegalStateException("task '" + name + "' was already added with " + tasks.get(name)
                        .schedule());
            }
            return this;
        }

        /**
         * @return the scheduler (not started)
         * @throws IllegalStateException if no executor was given
         */
        public MaintenanceScheduler build() {
            if (executor == null) {
                throw new IllegalStateException("an executor is required: .executor(Executors.newSingleThreadScheduledExecutor())");
            }
            return new MaintenanceScheduler(this);
        }
    }
}
