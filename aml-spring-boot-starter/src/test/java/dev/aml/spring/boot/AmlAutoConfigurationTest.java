package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryStore;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.PatternDraft;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.InvalidSettingsException;
import dev.aml.micrometer.AmlMetrics;
import dev.aml.store.jdbc.JdbcMemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, one context each. */
class AmlAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(AmlAutoConfiguration.class, AmlMetricsAutoConfiguration.class,
                    AmlMaintenanceAutoConfiguration.class, AmlHealthAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void withNoPropertiesTheMemoryIsInMemoryWithEveryDefaultBean() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(MemoryManager.class).hasSingleBean(AmlSettings.class)
                    .hasSingleBean(Monitor.class).hasSingleBean(AmlMetrics.class)
                    .hasSingleBean(AmlHealthIndicator.class).doesNotHaveBean(AmlMaintenance.class);
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.root()).isEmpty();
            assertThat(ctx.getBean(AmlSettings.class)).isEqualTo(AmlSettings.defaults());
            assertThat(ctx.getBean(Monitor.class)).isSameAs(ctx.getBean(AmlMetrics.class).monitor());
        });
    }

    @Test
    void memoryRootOpensTheTreeAndClosesItWithTheContext() {
        Path root = dir.resolve("memory");
        runner.withPropertyValues("aml.memory-root=" + root).run(ctx -> {
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.root()).contains(root);
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
        });
        // closed: the tree's lock is free again and the pattern was written
        try (MemoryManager again = MemoryManager.open(root)) {
            assertThat(again.agent("coder").patterns().query(dev.aml.core.MemoryQuery.patterns())).hasSize(1);
        }
    }

    @Test
    void propertiesAreTheSettingsFileInKebabCaseAboveTheTreesOwnFile() throws IOException {
        Path root = dir.resolve("memory");
        Files.createDirectories(root.resolve("config"));
        Files.writeString(AmlSettings.file(root),
                "{\"prune\": {\"pattern_max_age_days\": 60, \"min_success_rate\": 0.3},"
                        + " \"backup\": {\"compression_level\": 6}}");
        runner.withPropertyValues("aml.memory-root=" + root, "aml.prune.min-success-rate=0.25",
                "aml.cache.max-results=5", "aml.monitor.query-time-warning-ms=40",
                "aml.store.durability=sync").run(ctx -> {
                    AmlSettings s = ctx.getBean(AmlSettings.class);
                    assertThat(s.prune().patternMaxAgeDays()).isEqualTo(60);       // from the file
                    assertThat(s.prune().minSuccessRate()).isEqualTo(0.25);         // property wins
                    assertThat(s.backup().compressionLevel()).isEqualTo(6);
                    assertThat(s.cache().maxResults()).isEqualTo(5);
                    assertThat(s.monitor().queryTimeMillis().warning()).isEqualTo(40);
                    assertThat(s.store().durability()).isEqualTo(dev.aml.core.Durability.SYNC);
                    MemoryManager aml = ctx.getBean(MemoryManager.class);
                    assertThat(aml.cacheStats().maximumSize()).isEqualTo(5);
                    assertThat(aml.pruneConfig().patternMaxAgeDays()).isEqualTo(60);
                });
    }

    @Test
    void aBadPropertyStopsTheContextWithTheSettingsModelsMessage() {
        runner.withPropertyValues("aml.prune.pattern-max-age=60").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(InvalidSettingsException.class)
                    .hasMessageContaining("prune.pattern_max_age").hasMessageContaining("pattern_max_age_days");
        });
        runner.withPropertyValues("aml.backup.compression-level=12").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("compression_level");
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx.getBean(MemoryManager.class)).isSameAs(ctx.getBean("ownManager"));
            assertThat(ctx.getBean(Monitor.class)).isSameAs(ctx.getBean("ownMonitor"));
            assertThat(ctx.getBean(AmlMetrics.class)).isSameAs(ctx.getBean("ownMetrics"));
            assertThat(ctx.getBean(AmlSettings.class)).isSameAs(ctx.getBean("ownSettings"));
            assertThat(ctx).getBean("amlHealthIndicator").isSameAs(ctx.getBean("amlHealthIndicator"))
                    .isNotInstanceOf(AmlHealthIndicator.class);
        });
    }

    @Test
    void aMemoryStoreBeanIsUsedAndClosedByTheManager() {
        runner.withUserConfiguration(OwnStore.class).run(ctx -> {
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.store()).isSameAs(ctx.getBean(MemoryStore.class));
        });
        runner.withUserConfiguration(OwnStore.class).withPropertyValues("aml.memory-root=" + dir).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("aml.memory-root")
                    .hasMessageContaining("MemoryStore bean");
        });
    }

    @Test
    void withoutMicrometerThereAreNoMetersButAPlainMonitor() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, AmlMetrics.class)).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(AmlMetrics.class).hasSingleBean(Monitor.class)
                    .hasSingleBean(AmlHealthIndicator.class);
        });
    }

    @Test
    void withoutSpringBootsHealthSupportThereIsNoIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx -> {
            assertThat(ctx).hasSingleBean(MemoryManager.class).doesNotHaveBean(AmlHealthIndicator.class);
        });
        runner.withPropertyValues("management.health.aml.enabled=false").run(ctx -> {
            assertThat(ctx).hasSingleBean(MemoryManager.class).doesNotHaveBean(AmlHealthIndicator.class);
        });
    }

    @Test
    void maintenanceRunsOnlyWhenEnabledAndStopsWithTheContext() {
        runner.withPropertyValues("aml.maintenance.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(AmlMaintenance.class).doesNotHaveBean("amlMaintenanceMetrics"));
        AmlMaintenance[] seen = new AmlMaintenance[1];
        runner.withPropertyValues("aml.maintenance.enabled=true").run(ctx -> {
            ctx.start();
            AmlMaintenance m = ctx.getBean(AmlMaintenance.class);
            seen[0] = m;
            assertThat(m.isRunning()).isTrue();
            assertThat(m.scheduler().taskNames()).containsExactly("backup", "prune", "health", "optimize");
            assertThat(m.scheduler().nextRuns()).containsOnlyKeys("backup", "prune", "health", "optimize");
            assertThat(ctx).hasBean("amlMaintenanceMetrics");
            assertThat(ctx.getBean("amlMaintenanceMetrics")).isInstanceOf(MeterBinder.class);
        });
        assertThat(seen[0].isRunning()).isFalse();
    }

    @Test
    void postgresNeedsTheJdbcModuleADataSourceAndNoMemoryRoot() {
        runner.withPropertyValues("aml.jdbc.enabled=true").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("DataSource bean");
        });
        runner.withClassLoader(new FilteredClassLoader(JdbcMemoryStore.class))
                .withPropertyValues("aml.jdbc.enabled=true").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("aml-store-jdbc");
                });
        runner.withPropertyValues("aml.jdbc.enabled=true", "aml.memory-root=" + dir).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("exclude each other");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        AmlSettings ownSettings() {
            return AmlSettings.defaults();
        }

        @Bean
        MemoryManager ownManager() {
            return MemoryManager.builder().build();
        }

        @Bean
        AmlMetrics ownMetrics(MemoryManager aml) {
            return AmlMetrics.of(aml);
        }

        @Bean
        Monitor ownMonitor(MemoryManager aml) {
            return aml.monitor();
        }

        @Bean
        HealthIndicator amlHealthIndicator() {
            return () -> org.springframework.boot.health.contributor.Health.up().build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean(destroyMethod = "")
        MemoryStore ownStore() {
            return MemoryStore.inMemory();
        }
    }
}
