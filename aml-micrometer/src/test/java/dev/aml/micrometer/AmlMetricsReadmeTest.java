package dev.aml.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.readme.ReadmeExamples;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.MemoryManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Micrometer example runs, and the README shows exactly it. */
class AmlMetricsReadmeTest {

    @Test
    void theExampleRuns() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (MemoryManager aml = MemoryManager.builder().build()) {
            // README:start
            AmlMetrics metrics = AmlMetrics.of(aml);          // once per manager
            metrics.bindTo(registry);                         // any MeterRegistry
            HealthReport health = metrics.monitor().health(); // every run of this monitor refreshes the gauges
            double status = registry.get("aml.health.status").gauge().value(); // 0 healthy, 1 warning, 2 critical
            // README:end
            assertThat(status).isEqualTo(health.status().ordinal());
        }
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/micrometer/AmlMetricsReadmeTest.java"),
                Path.of("../README.md"), "micrometer-example");
    }
}
