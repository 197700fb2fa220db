package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Durability;
import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryQuery;
import dev.aml.store.FileMemoryStore;
import dev.aml.store.jdbc.JdbcStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

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
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Every condition of the auto-configuration, one context each. */
@ExtendWith(OutputCaptureExtension.class)
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
            assertThat(again.agent("coder").patterns().query(MemoryQuery.patterns())).hasSize(1);
        }
    }

    @Test
    void propertiesAreTheSettingsFileInKebabCaseAboveTheTreesOwnFile() throws IOException {
        Path root = treeWithSettings("{\"prune\": {\"pattern_max_age_days\": 60, \"min_success_rate\": 0.3},"
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

    @Test
    void locationMemoryOpensAnEmptyStoreInMemory() {
        runner.withPropertyValues("aml.location=memory:").run(ctx -> {
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.root()).isEmpty();
            assertThat(aml.store().files()).isEmpty();
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
            assertThat(aml.agent("coder").patterns().query(MemoryQuery.patterns())).hasSize(1);
        });
    }

    @Test
    void locationDirectoryOpensTheTreeWithItsSettingsFileAndClosesItWithTheContext() throws IOException {
        Path root = treeWithSettings("{\"store\": {\"durability\": \"sync\"}, \"cache\": {\"max_results\": 7}}");
        runner.withPropertyValues("aml.location=" + root, "aml.store.codec=gzip").run(ctx -> {
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.root()).contains(root);
            FileMemoryStore store = (FileMemoryStore) aml.store();
            assertThat(store.durability()).isEqualTo(Durability.SYNC);                 // the tree's own file
            assertThat(store.codec().name()).isEqualTo("gzip");                       // the property
            assertThat(aml.cacheStats().maximumSize()).isEqualTo(7);
            aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
        });
        try (MemoryManager again = MemoryManager.open(root)) {                      // the lock was released
            assertThat(again.agent("coder").patterns().query(MemoryQuery.patterns())).hasSize(1);
        }
        runner.withPropertyValues("aml.location=" + root.toUri()).run(ctx ->        // a file: URI is the same tree
                assertThat(ctx.getBean(MemoryManager.class).agent("coder").patterns().query(MemoryQuery.patterns()))
                        .hasSize(1));
    }

    @Test
    void aLocationNoProviderAcceptsStopsTheContextWithWhatToWrite() {
        runner.withPropertyValues("aml.location=s3://bucket/memory?secret=abc").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasRootCauseInstanceOf(InvalidInputException.class);
            InvalidInputException e = cause(ctx.getStartupFailure(), InvalidInputException.class);
            assertThat(e).hasMessageStartingWith("aml.location=s3://bucket/memory cannot be opened: ")
                    .hasMessageContaining("No store provider opens 's3://bucket/memory'")
                    .hasMessageContaining("Set aml.location to a directory path")
                    .hasMessageContaining("jdbc:postgresql://host:port/database").hasMessageNotContaining("abc");
        });
        runner.withPropertyValues("aml.location=jdbc:mysql://db/agents").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                    .hasMessageContaining("Not a PostgreSQL JDBC URL: 'jdbc:mysql://db/agents'");
        });
    }

    @Test
    void aLocationItsStoreCannotOpenStopsTheContextWithTheStoresReason() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a tree");
        runner.withPropertyValues("aml.location=" + file).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                    .hasMessageStartingWith("aml.location=" + file + " cannot be opened: ")
                    .hasMessageContaining("is a file, not a directory. Set aml.location to a directory path");
        });
        runner.withPropertyValues("aml.location=file://host/share").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                    .hasMessageContaining("Not a file URI: 'file://host/share'; write file:///absolute/path");
        });
    }

    @Test
    void optionsTheLocationsStoreCannotHonourAreRefusedNotIgnored() {
        runner.withPropertyValues("aml.location=memory:", "aml.store.durability=sync").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                    .hasMessageContaining("aml.location=memory: cannot be opened")
                    .hasMessageContaining("takes no options");
        });
        runner.withPropertyValues("aml.location=jdbc:postgresql://127.0.0.1:1/agents", "aml.store.codec=gzip")
                .run(ctx -> {   // refused before any connection: the server's store has no codec
                    assertThat(ctx).hasFailed();
                    assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                            .hasMessageContaining("remove settings [codec]");
                });
        runner.withPropertyValues("aml.location=" + dir, "aml.jdbc.user=agents").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                    .hasMessageContaining("has no setting [user]");
        });
    }

    @Test
    void thePasswordIsInNoMessageAndNoLog(CapturedOutput output) {
        String password = "s3cret-Pw";
        String urlPassword = "hunter2";
        // port 1 of the loopback refuses at once: the store cannot be reached
        runner.withPropertyValues("aml.location=jdbc:postgresql://127.0.0.1:1/agents?password=" + urlPassword,
                "aml.jdbc.user=agents", "aml.jdbc.password=" + password).run(ctx -> {
                    assertThat(ctx).hasFailed();
                    JdbcStoreException e = cause(ctx.getStartupFailure(), JdbcStoreException.class);
                    assertThat(e.isConnectionFailure()).isTrue();
                    assertThat(e).hasMessageContaining("aml.jdbc.user (set)")
                            .hasMessageContaining("aml.jdbc.password (set)");
                    assertThat(chain(ctx.getStartupFailure())).doesNotContain(password, urlPassword);
                });
        for (String location : List.of("memory:", dir.toString())) {                   // stores that refuse a password
            runner.withPropertyValues("aml.location=" + location, "aml.jdbc.password=" + password).run(ctx -> {
                assertThat(ctx).hasFailed();
                assertThat(cause(ctx.getStartupFailure(), InvalidInputException.class))
                        .hasMessageContaining("password");
                assertThat(chain(ctx.getStartupFailure())).doesNotContain(password);
            });
        }
        runner.withPropertyValues("aml.jdbc.password=" + password).run(ctx -> {          // a password for nothing
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("aml.jdbc.password apply to a PostgreSQL store");
            assertThat(chain(ctx.getStartupFailure())).doesNotContain(password);
        });
        AmlProperties.Jdbc jdbc = new AmlProperties.Jdbc();
        jdbc.setPassword(password);
        assertThat(jdbc.toString()).contains("password=***").doesNotContain(password);
        assertThat(output.getAll()).doesNotContain(password, urlPassword);
    }

    @Test
    void thePasswordBindsFromTheEnvironmentVariableTheDescriptionNames() {
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("AML_LOCATION", "memory:", "AML_JDBC_USER", "agents", "AML_JDBC_PASSWORD", "pw"))));
        AmlProperties p = binder.bind("aml", AmlProperties.class).get();
        assertThat(p.getLocation()).isEqualTo("memory:");
        assertThat(p.getJdbc().getUser()).isEqualTo("agents");
        assertThat(p.getJdbc().getPassword()).isEqualTo("pw");
    }

    @Test
    void theCredentialsApplyToALocationOnly() {
        runner.withPropertyValues("aml.jdbc.user=agents").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("aml.jdbc.user apply to a PostgreSQL store")
                    .hasMessageContaining("aml.location is not set");
        });
        runner.withPropertyValues("aml.jdbc.schema=agents").run(ctx ->     // as before aml.location: ignored
                assertThat(ctx).hasNotFailed().hasSingleBean(MemoryManager.class));
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("aml.jdbc.enabled=true", "aml.jdbc.user=agents").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("spring.datasource.username");
                });
    }

    @Test
    void aDataSourceBeanBacksTheStoreWithAmlJdbcEnabled() {
        runner.withUserConfiguration(UnreachableDataSource.class).withPropertyValues("aml.jdbc.enabled=true")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();   // the store asked the application's DataSource for a connection
                    assertThat(cause(ctx.getStartupFailure(), JdbcStoreException.class).getCause())
                            .hasMessage(UnreachableDataSource.MESSAGE);
                });
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("aml.jdbc.enabled=true", "aml.jdbc.schema=Not A Schema").run(ctx -> {
                    assertThat(ctx).hasFailed();    // the schema reached the store's builder
                    assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("Not A Schema");
                });
    }

    @Test
    void locationExcludesTheOtherPlacesButTheApplicationsManagerWins() {
        runner.withPropertyValues("aml.location=memory:", "aml.memory-root=" + dir).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("aml.location (memory:)")
                    .hasMessageContaining("aml.memory-root").hasMessageContaining("exclude each other");
        });
        runner.withPropertyValues("aml.location=memory:", "aml.jdbc.enabled=true").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("exclude each other");
        });
        runner.withUserConfiguration(OwnStore.class).withPropertyValues("aml.location=memory:").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("aml.location (memory:) is set")
                    .hasMessageContaining("MemoryStore bean");
        });
        // the application's own manager: the starter opens nothing, so not even a bad location matters
        runner.withUserConfiguration(OwnBeans.class).withPropertyValues("aml.location=s3://bucket").run(ctx ->
                assertThat(ctx.getBean(MemoryManager.class)).isSameAs(ctx.getBean("ownManager")));
        // the application's own store with aml.jdbc.enabled: the starter's store on the DataSource backs off
        runner.withUserConfiguration(OwnStore.class).withPropertyValues("aml.jdbc.enabled=true").run(ctx ->
                assertThat(ctx.getBean(MemoryManager.class).store()).isSameAs(ctx.getBean("ownStore")));
    }

    /** @return {@code <dir>/memory}, holding just {@code config/aml.json} with the given text */
    private Path treeWithSettings(String json) throws IOException {
        Path root = dir.resolve("memory");
        Files.createDirectories(root.resolve("config"));
        Files.writeString(AmlSettings.file(root), json);
        return root;
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getName() + " in the causes of " + t, t);
    }

    /** @return every message and string form in the cause chain, with suppressed exceptions */
    private static String chain(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n').append(c.getMessage()).append('\n');
            for (Throwable s : c.getSuppressed()) {
                all.append(chain(s));
            }
        }
        return all.toString();
    }

    /** A DataSource whose every connection fails with a message of its own. */
    @Configuration(proxyBeanMethods = false)
    static class UnreachableDataSource {
        static final String MESSAGE = "the test's DataSource was asked for a connection";

        @Bean
        DataSource dataSource() {
            return new DataSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    throw new SQLException(MESSAGE, "08001");
                }

                @Override
                public Connection getConnection(String user, String password) throws SQLException {
                    return getConnection();
                }

                @Override
                public java.io.PrintWriter getLogWriter() {
                    return new java.io.PrintWriter(java.io.Writer.nullWriter());
                }

                @Override
                public void setLogWriter(java.io.PrintWriter out) {
                    throw new UnsupportedOperationException("setLogWriter");
                }

                @Override
                public void setLoginTimeout(int seconds) {
                    throw new UnsupportedOperationException("setLoginTimeout");
                }

                @Override
                public int getLoginTimeout() {
                    return 0;
                }

                @Override
                public java.util.logging.Logger getParentLogger() {
                    return java.util.logging.Logger.getLogger(UnreachableDataSource.class.getName());
                }

                @Override
                public <T> T unwrap(Class<T> iface) throws SQLException {
                    throw new SQLException("not a wrapper");
                }

                @Override
                public boolean isWrapperFor(Class<?> iface) {
                    return false;
                }
            };
        }
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
