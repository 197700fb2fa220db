package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryQuery;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a healthy new memory is not CRITICAL on its first health check, nor on the next process's. */
class FirstHealthCheckTest {

    @TempDir
    Path dir;

    @Test
    void onePatternOneQueryAndAHealthCheckIsNotCritical() {
        Path root = dir.resolve(".loom/memory");
        try (MemoryManager aml = MemoryManager.open(root)) {
            aml.agent("coder").patterns().record(PatternDraft.of("retry-with-backoff", Map.of()).tags("http"));
            assertThat(aml.query(MemoryQuery.patterns().tags("http"))).hasSize(1);
            HealthReport h = aml.monitor().health();
            HealthCheck perf = h.check(HealthCheck.PERFORMANCE_OK).orElseThrow();
            assertThat(perf.status()).as(perf.message()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(perf.message()).contains("not enough queries yet (1 of 100)");
            assertThat(h.status()).as(h.checks().toString()).isNotEqualTo(HealthStatus.CRITICAL);
            assertThat(aml.monitor().alerts()).noneMatch(a -> a.category().equals("performance"));
        }
        try (MemoryManager later = MemoryManager.open(root)) { // judges the counters the first process saved
            HealthCheck perf = later.monitor().health().check(HealthCheck.PERFORMANCE_OK).orElseThrow();
            assertThat(perf.status()).as(perf.message()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(perf.message()).contains("not enough queries yet (1 of 100)");
        }
    }
}
