package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.contract.MutableClock;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.PatternDraft;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class AmlHealthIndicatorTest {

    @TempDir
    Path dir;

    private static Health health(Monitor monitor) {
        return new AmlHealthIndicator(monitor, Clock.systemUTC(), Duration.ZERO).health();
    }

    @Test
    void healthyIsUp() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            Health h = health(aml.monitor());
            assertThat(aml.monitor().health().status().label()).isEqualTo("healthy");
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("status", "healthy").containsEntry("passed", 6)
                    .doesNotContainKeys("warnings", "errors");
        }
    }

    @Test
    void warningIsUpWithTheWarningChecksNamed() {
        try (MemoryManager aml = MemoryManager.open(dir.resolve("memory"))) {
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
            Health h = health(aml.monitor());
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("status", "warning");
            @SuppressWarnings("unchecked")
            Map<String, String> warnings = (Map<String, String>) h.getDetails().get("warnings");
            assertThat(warnings).containsKeys(HealthCheck.RECENT_BACKUP, HealthCheck.INDEX_EXISTS);
            assertThat(warnings.get(HealthCheck.RECENT_BACKUP)).contains("backup");
        }
    }

    @Test
    void criticalIsDownWithTheFailingChecksNamed() {
        try (MemoryManager aml = MemoryManager.open(dir.resolve("memory"))) {
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
            aml.store().checkpoint();
            // any agent over a millionth of a MiB is critical
            Monitor strict = aml.monitor(MonitorConfig.builder().agentMemoryMb(0.0000001, 0.0000002).build());
            Health h = health(strict);
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
            assertThat(h.getDetails()).containsEntry("status", "critical");
            @SuppressWarnings("unchecked")
            Map<String, String> errors = (Map<String, String>) h.getDetails().get("errors");
            assertThat(errors).containsOnlyKeys(HealthCheck.MEMORY_WITHIN_LIMITS);
            assertThat(errors.get(HealthCheck.MEMORY_WITHIN_LIMITS)).contains("coder");
        }
    }

    @Test
    void aRunIsReusedForMaxAge() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            int[] runs = {0};
            Monitor inner = aml.monitor();
            Monitor counting = (Monitor) java.lang.reflect.Proxy.newProxyInstance(Monitor.class.getClassLoader(),
                    new Class<?>[] {Monitor.class}, (proxy, method, args) -> {
                        if (method.getName().equals("health")) {
                            runs[0]++;
                        }
                        return method.invoke(inner, args);
                    });
            MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
            AmlHealthIndicator indicator = new AmlHealthIndicator(counting, clock, Duration.ofSeconds(10));
            indicator.health();
            indicator.health();
            assertThat(runs[0]).isEqualTo(1);
            clock.advance(Duration.ofSeconds(10));
            indicator.health();
            assertThat(runs[0]).isEqualTo(2);
        }
    }
}
