package dev.aml.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.MaintenanceScheduler;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.core.Pattern;
import dev.aml.core.contract.MutableClock;
import dev.aml.maintenance.PatternDraft;
import dev.aml.maintenance.Schedule;
import dev.aml.maintenance.SolutionDraft;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmlMetricsTest {

    @TempDir
    Path dir;

    private MemoryManager aml;
    private SimpleMeterRegistry registry;
    private AmlMetrics metrics;

    @BeforeEach
    void open() {
        aml = MemoryManager.builder().memoryRoot(dir.resolve("memory")).build();
        registry = new SimpleMeterRegistry();
        metrics = AmlMetrics.of(aml);
        metrics.bindTo(registry);
    }

    @AfterEach
    void close() {
        aml.close();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void snapshotGaugesAreNaNUntilTheFirstMonitorRunThenShowWhatItMeasured() {
        assertThat(gauge("aml.memory.size")).isNaN();
        assertThat(gauge("aml.health.status")).isNaN();
        assertThat(registry.get("aml.backup.age").timeGauge().value(TimeUnit.HOURS)).isNaN();

        aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of("p", "http")).tags("http"));
        aml.agent("coder").solutions().record(SolutionDraft.of("Timeout", "read timed out"));
        aml.agent("writer").patterns().record(PatternDraft.of("outline", Map.of()));
        aml.store().checkpoint(); // the monitor measures the item files on disk
        HealthReport health = metrics.monitor().health();

        assertThat(gauge("aml.memory.size")).isEqualTo(health.metrics().memory().totalSizeBytes()).isPositive();
        assertThat(gauge("aml.health.status")).isEqualTo(health.status().ordinal());
        for (String check : HealthCheck.NAMES) {
            assertThat(gauge("aml.health.check", "check", check))
                    .isEqualTo(health.check(check).orElseThrow().status().ordinal());
        }
        assertThat(gauge("aml.agent.items", "agent", "coder", "kind", "pattern")).isEqualTo(1);
        assertThat(gauge("aml.agent.items", "agent", "coder", "kind", "solution")).isEqualTo(1);
        assertThat(gauge("aml.agent.items", "agent", "coder", "kind", "decision")).isZero();
        assertThat(gauge("aml.agent.items", "agent", "writer", "kind", "pattern")).isEqualTo(1);
        assertThat(gauge("aml.agent.memory.size", "agent", "coder")).isPositive();
        assertThat(metrics.lastHealth()).containsSame(health);
    }

    @Test
    void agentsThatDisappearLoseTheirSeries() {
        Pattern p = aml.agent("gone").patterns().record(PatternDraft.of("x", Map.of()));
        aml.store().checkpoint();
        metrics.monitor().metrics();
        assertThat(registry.find("aml.agent.items").tag("agent", "gone").gauges()).hasSize(3);
        aml.agent("gone").patterns().delete(p.id());
        aml.agent("stays").patterns().record(PatternDraft.of("y", Map.of()));
        aml.store().checkpoint();
        metrics.monitor().metrics();
        assertThat(registry.find("aml.agent.items").tag("agent", "stays").gauges()).hasSize(3);
        assertThat(registry.find("aml.agent.items").tag("agent", "gone").gauge().value()).isZero();
    }

    @Test
    void queryAndCacheCountersFollowTheQueryPath() {
        aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        assertThat(registry.get("aml.query.latency.mean").timeGauge().value(TimeUnit.MILLISECONDS)).isNaN();
        MemoryQuery q = MemoryQuery.patterns().tags("http").build();
        aml.query(q);
        aml.query(q);
        assertThat(registry.get("aml.queries").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("aml.cache.gets").tag("result", "miss").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("aml.cache.gets").tag("result", "hit").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("aml.cache.size").gauge().value()).isEqualTo(1);
        // the time gauge converts its unit in floating point: equal up to rounding (7.9138475 vs 7.913847499999999)
        assertThat(registry.get("aml.query.latency.mean").timeGauge().value(TimeUnit.MILLISECONDS))
                .isCloseTo(aml.queryStats().avgQueryMillis(), within(1e-9));
        assertThat(registry.get("aml.query.latency.p95").timeGauge().value(TimeUnit.MILLISECONDS))
                .isCloseTo(aml.queryStats().p95QueryMillis(), within(1e-9));
        assertThat(registry.get("aml.cache.evictions").functionCounter().count()).isZero();
    }

    @Test
    void outcomesAreCountedByKindAndResult() {
        Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
        aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.success(Duration.ofMillis(5)));
        aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.success(Duration.ofMillis(5)));
        aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.failure());
        String s = aml.agent("coder").solutions().record(SolutionDraft.of("E", "m")).id();
        aml.agent("coder").solutions().recordOutcome(s, Outcome.success());

        assertThat(registry.get("aml.outcomes").tags("kind", "pattern", "result", "success").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("aml.outcomes").tags("kind", "pattern", "result", "failure").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("aml.outcomes").tags("kind", "solution", "result", "success").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("aml.outcomes").tags("kind", "decision", "result", "success").counter().count())
                .isZero();
    }

    @Test
    void openAlertsAreCountedByLevelAfterEachRun() {
        metrics.monitor().health();
        double errorsBefore = gauge("aml.alerts.open", "level", "error");
        assertThat(errorsBefore).isZero();
        metrics.monitor().raise(AlertLevel.ERROR, "maintenance", "maintenance.backup", "backup failed", Map.of());
        metrics.monitor().health();
        assertThat(gauge("aml.alerts.open", "level", "error")).isEqualTo(1);
        double sum = 0;
        for (AlertLevel level : AlertLevel.values()) {
            sum += gauge("aml.alerts.open", "level", level.label());
        }
        assertThat(sum).isEqualTo(metrics.monitor().alerts().size());
    }

    @Test
    void noMeterHasAPerItemTag() {
        for (int i = 0; i < 20; i++) {
            Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("p" + i, Map.of()));
            aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.success());
        }
        aml.store().checkpoint();
        metrics.monitor().health();
        Set<String> tagKeys = registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
                .map(t -> t.getKey()).collect(Collectors.toSet());
        assertThat(tagKeys).containsExactlyInAnyOrder("agent", "kind", "check", "level", "result");
        long series = registry.getMeters().stream().map(Meter::getId).count();
        assertThat(series).isLessThan(40); // 20 items, one agent: no growth with items
    }

    @Test
    void theConfiguredSinkStillGetsEverySnapshot() {
        aml.close();
        aml = MemoryManager.builder().memoryRoot(dir.resolve("other")).build();
        List<MetricsSnapshot> seen = new ArrayList<>();
        AmlMetrics m = AmlMetrics.builder(aml).monitorConfig(MonitorConfig.builder().metricsSink(seen::add).build())
                .build();
        m.bindTo(registry = new SimpleMeterRegistry());
        m.monitor().metrics();
        assertThat(seen).hasSize(1);
        assertThat(gauge("aml.memory.size")).isEqualTo(seen.get(0).memory().totalSizeBytes());
    }

    @Test
    void maintenanceGaugeShowsTheLastRunOfEachTask() {
        CapturingExecutor executor = new CapturingExecutor();
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T01:59:59Z"));
        boolean[] fail = {false};
        try (MaintenanceScheduler scheduler = MaintenanceScheduler.builder().executor(executor).clock(clock)
                .task("backup", Schedule.daily(LocalTime.of(2, 0)), () -> {
                    if (fail[0]) {
                        throw new IllegalStateException("disk full");
                    }
                })
                .task("health", Schedule.daily(LocalTime.of(6, 0)), () -> { })
                .build()) {
            AmlMetrics.maintenance(scheduler).bindTo(registry);
            scheduler.start();
            assertThat(gauge("aml.maintenance.last.outcome", "task", "backup")).isNaN();

            clock.set(Instant.parse("2026-06-01T02:00:00Z"));
            executor.runCaptured();
            assertThat(gauge("aml.maintenance.last.outcome", "task", "backup")).isEqualTo(1);
            assertThat(gauge("aml.maintenance.last.outcome", "task", "health")).isNaN();

            fail[0] = true;
            clock.set(Instant.parse("2026-06-02T02:00:00Z"));
            executor.runCaptured();
            assertThat(gauge("aml.maintenance.last.outcome", "task", "backup")).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    /** Captures scheduled wake-ups so the test runs them on its own thread. */
    static final class CapturingExecutor extends ScheduledThreadPoolExecutor {
        final List<Runnable> captured = new ArrayList<>();

        CapturingExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            captured.add(command);
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }

        void runCaptured() {
            List<Runnable> now = new ArrayList<>(captured);
            captured.clear();
            now.forEach(Runnable::run);
        }
    }
}
