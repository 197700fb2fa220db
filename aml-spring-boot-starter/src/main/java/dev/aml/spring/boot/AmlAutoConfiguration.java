package dev.aml.spring.boot;

import dev.aml.core.MemoryStore;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The core of the starter: the {@link AmlSettings} (the CLI's settings model, from
 * {@code config/aml.json} of the tree with the {@code aml.*} properties above it) and the
 * {@link MemoryManager} bean, on the file tree of {@code aml.memory-root}, on PostgreSQL through the
 * application's {@code DataSource} ({@code aml.jdbc.enabled=true}), on a {@link MemoryStore} bean of
 * the application's, or in memory. The manager is closed when the context closes. Every bean backs
 * off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(AmlProperties.class)
public class AmlAutoConfiguration {

    /**
     * @param properties the {@code aml.*} properties
     * @return the settings in force
     * @throws dev.aml.maintenance.settings.InvalidSettingsException naming the property and what is allowed
     */
    @Bean
    @ConditionalOnMissingBean
    public AmlSettings amlSettings(AmlProperties properties) {
        return SpringSettings.load(properties).settings();
    }

    /**
     * @param properties the {@code aml.*} properties
     * @param settings the settings
     * @param stores a store bean, if the application or {@code aml.jdbc.enabled} defines one
     * @return the manager, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MemoryManager memoryManager(AmlProperties properties, AmlSettings settings,
            ObjectProvider<MemoryStore> stores) {
        Path root = properties.getMemoryRoot();
        checkOneLocation(properties);
        @Nullable MemoryStore store = stores.getIfAvailable();
        if (properties.getJdbc().isEnabled() && store == null) {
            throw new IllegalStateException("aml.jdbc.enabled=true needs dev.aml:aml-store-jdbc on the class path and a"
                    + " DataSource bean (spring.datasource.url=jdbc:postgresql://...)");
        }
        MemoryManager.Builder b = MemoryManager.builder();
        if (store != null) {
            if (root != null) {
                throw new IllegalStateException("aml.memory-root (" + root + ") is set, but the application defines a"
                        + " MemoryStore bean (" + store.describe() + "): remove one");
            }
            return settings.applyTo(b, false).store(store).build();
        }
        if (root != null) {
            return settings.applyTo(b, true).memoryRoot(root).build();
        }
        return settings.applyTo(b, false).build();
    }

    private static void checkOneLocation(AmlProperties properties) {
        if (properties.getMemoryRoot() != null && properties.getJdbc().isEnabled()) {
            throw new IllegalStateException("aml.memory-root (" + properties.getMemoryRoot() + ") and aml.jdbc.enabled=true"
                    + " exclude each other: keep the memory in the tree or in PostgreSQL");
        }
    }

    /** The PostgreSQL store on the application's {@code DataSource}, for {@code aml.jdbc.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcMemoryStore.class)
    @ConditionalOnProperty(prefix = "aml.jdbc", name = "enabled", havingValue = "true")
    static class JdbcStoreConfiguration {

        /**
         * Closed by the manager, which owns it (the data source stays the application's).
         *
         * @param dataSources the application's data source
         * @param properties the {@code aml.*} properties
         * @return the store
         */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        MemoryStore amlMemoryStore(ObjectProvider<DataSource> dataSources, AmlProperties properties) {
            checkOneLocation(properties);
            DataSource ds = dataSources.getIfAvailable();
            if (ds == null) {
                throw new IllegalStateException("aml.jdbc.enabled=true needs a DataSource bean"
                        + " (spring.datasource.url=jdbc:postgresql://...)");
            }
            return JdbcMemoryStore.builder().dataSource(ds).schema(properties.getJdbc().getSchema()).build();
        }
    }
}
