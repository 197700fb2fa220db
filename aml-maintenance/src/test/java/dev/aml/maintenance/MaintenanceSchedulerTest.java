package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.contract.MutableClock;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.MemoryMetrics;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorReport;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MaintenanceSchedulerTest {

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    // Saturday 2026-05-30 01:00 local
    final MutableClock clock = new MutableClock(LocalDateTime.of(2026, 5, 30, 1, 0).atZone(ZONE).toInstant(), ZONE);
    final FakeScheduledExecutor executor = new FakeScheduledExecutor();
    final List<String> log = new ArrayList<>();
    final AtomicInteger active = new AtomicInteger();
    final RecordingAlerts alerts = new RecordingAlerts();

    Runnable op(String name) {
        return () -> {
            assertThat(active.incrementAndGet()).as("operations running at once").isEqualTo(1);
            try {
                log.add(LocalDateTime.ofInstant(clock.instant(), ZONE) + " " + name);
            } finally {
                active.decrementAndGet();
            }
        };
    }

    MaintenanceScheduler seedLike() {
        return MaintenanceScheduler.builder().executor(executor).clock(clock).alerts(alerts)
                .task("backup", Schedule.daily(LocalTime.of(2, 0)), op("backup"))
                .task("prune", Schedule.weekly(DayOfWeek.SUNDAY, LocalTime.of(3, 0)), op("prune"))
                .task("health", Schedule.daily(LocalTime.of(6, 0)), op("health"))
                .task("optimize", Schedule.monthly(1, LocalTime.of(4, 0)), op("optimize"))
                .build();
    }

    void runUntil(LocalDateTime end) {
        while (true) {
            Duration d = executor.onlyDelay();
            if (LocalDateTime.ofInstant(clock.instant().plus(d), ZONE).isAfter(end)) {
                return;
            }
            clock.advance(d);
            executor.runPending();
        }
    }

    @Test
    void theSeedPlanFiresTheRightOperationsAtTheRightTimes() {
        try (MaintenanceScheduler s = seedLike()) {
            s.start();
            assertThat(executor.onlyDelay()).isEqualTo(Duration.ofHours(1));
            runUntil(LocalDateTime.of(2026, 6, 2, 7, 0));
        }
        assertThat(log).containsExactly(
                "2026-05-30T02:00 backup",
                "2026-05-30T06:00 health",
                "2026-05-31T02:00 backup",
                "2026-05-31T03:00 prune",
                "2026-05-31T06:00 health",
                "2026-06-01T02:00 backup",
                "2026-06-01T04:00 optimize",
                "2026-06-01T06:00 health",
                "2026-06-02T02:00 backup",
                "2026-06-02T06:00 health");
    }

    @Test
    void missedRunsRunOnceOneAfterAnotherNeverConcurrently() {
        try (MaintenanceScheduler s = seedLike()) {
            s.start();
            clock.advance(Duration.ofDays(3)); // the process slept through several runs
            executor.runPending();
            assertThat(log).containsExactly("2026-06-02T01:00 backup", "2026-06-02T01:00 prune",
                    "2026-06-02T01:00 health", "2026-06-02T01:00 optimize");
            assertThat(s.nextRuns().get("prune").toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 6, 7, 3, 0));
            assertThat(s.nextRuns().get("optimize").toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 7, 1, 4, 0));
        }
    }

    @Test
    void aWakeUpDuringARunDoesNothing() {
        AtomicInteger runs = new AtomicInteger();
        MaintenanceScheduler[] self = new MaintenanceScheduler[1];
        try (MaintenanceScheduler s = MaintenanceScheduler.builder().executor(executor).clock(clock)
                .task("slow", Schedule.daily(LocalTime.of(2, 0)), () -> {
                    runs.incrementAndGet();
                    self[0].wakeUp(); // as if a second executor thread fired now
                }).build()) {
            self[0] = s;
            s.start();
            clock.advance(executor.onlyDelay());
            executor.runPending();
            assertThat(runs).hasValue(1);
            assertThat(executor.onlyDelay()).isEqualTo(Duration.ofDays(1));
        }
    }

    @Test
    void failuresAreLoggedAsAlertsAndTheNextSuccessResolvesThem() {
        AtomicInteger calls = new AtomicInteger();
        try (MaintenanceScheduler s = MaintenanceScheduler.builder().executor(executor).clock(clock).alerts(alerts)
                .task("backup", Schedule.daily(LocalTime.of(2, 0)), () -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("disk full");
                    }
                }).build()) {
            s.start();
            clock.advance(executor.onlyDelay());
            executor.runPending();
            assertThat(alerts.raised).containsExactly("error maintenance maintenance.backup Scheduled backup failed:"
                    + " disk full");
            assertThat(s.runs()).singleElement().satisfies(r -> assertThat(r.error()).isEqualTo("disk full"));
            clock.advance(executor.onlyDelay());
            executor.runPending();
            assertThat(alerts.resolved).containsExactly("maintenance.backup");
            assertThat(s.runs()).hasSize(2).last().satisfies(r -> assertThat(r.succeeded()).isTrue());
        }
    }

    @Test
    void closeCancelsThePendingWakeUp() {
        MaintenanceScheduler s = seedLike();
        s.start();
        s.close();
        assertThat(executor.pending).allMatch(p -> p.future().isCancelled());
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderOptionsAreSetOnce() {
        MaintenanceScheduler.Builder b = MaintenanceScheduler.builder().executor(executor)
                .task("a", Schedule.daily(LocalTime.NOON), () -> { });
        assertThatThrownBy(() -> b.executor(executor)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("executor was already set");
        assertThatThrownBy(() -> b.task("a", Schedule.daily(LocalTime.MIDNIGHT), () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("task 'a'");
        assertThatThrownBy(() -> MaintenanceScheduler.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSeedPlanOnARealTreeBacksUpAtTwoAndChecksHealthAtSix(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        try (MemoryManager aml = MemoryManager.builder().memoryRoot(dir.resolve("memory")).clock(clock).build();
                MaintenanceScheduler s = MaintenanceScheduler.seedPlan(aml, executor).build()) {
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of("domain", "http")));
            aml.store().checkpoint();
            s.start();
            assertThat(s.nextRuns().keySet()).containsExactlyInAnyOrder("backup", "prune", "health", "optimize");
            assertThat(s.nextRuns().get("health").toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 5, 30, 6, 0));
            clock.advance(executor.onlyDelay()); // 02:00 local: backup auto
            executor.runPending();
            assertThat(s.runs()).singleElement().satisfies(r -> {
                assertThat(r.task()).isEqualTo("backup");
                assertThat(r.succeeded()).as(String.valueOf(r.error())).isTrue();
            });
            assertThat(aml.backups().list()).hasSize(1);
            clock.advance(executor.onlyDelay()); // 06:00 local: health
            executor.runPending();
            assertThat(s.runs()).last().satisfies(r -> assertThat(r.task()).isEqualTo("health"));
            assertThat(aml.monitor().health().check(HealthCheck.RECENT_BACKUP).orElseThrow().passed()).isTrue();
            assertThat(dir.resolve("memory/monitoring/health.json")).exists();
        }
    }

    @Test
    void schedulesMatchTheSeedsCrontab() {
        assertThat(Schedule.daily(LocalTime.of(2, 0)).cron()).isEqualTo("0 2 * * *");
        assertThat(Schedule.weekly(DayOfWeek.SUNDAY, LocalTime.of(3, 0)).cron()).isEqualTo("0 3 * * 0");
        assertThat(Schedule.daily(LocalTime.of(6, 0)).cron()).isEqualTo("0 6 * * *");
        assertThat(Schedule.monthly(1, LocalTime.of(4, 0)).cron()).isEqualTo("0 4 1 * *");
        assertThatThrownBy(() -> Schedule.monthly(31, LocalTime.NOON)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Records raise/resolve; the rest is not used by the scheduler. */
    static final class RecordingAlerts implements Monitor {
        final List<String> raised = new ArrayList<>();
        final List<String> resolved = new ArrayList<>();

        @Override
        public Alert raise(AlertLevel level, String category, String condition, String message,
                Map<String, Object> details) {
            raised.add(level.label() + " " + category + " " + condition + " " + message);
            return new Alert("a", java.time.Instant.EPOCH, level, category, message, details, false, null);
        }

        @Override
        public boolean resolve(String condition) {
            resolved.add(condition);
            return true;
        }

        @Override
        public MetricsSnapshot metrics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HealthReport health() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> alerts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> allAlerts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MonitorReport report() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MemoryMetrics> history(Duration window) {
            throw new UnsupportedOperationException();
        }
    }
}
