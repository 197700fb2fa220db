package dev.aml.spring.boot;

import dev.aml.core.MemoryStore;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * {@link MemoryManager} bean: on a {@link MemoryStore} bean of the application's, on PostgreSQL through
 * the application's {@code DataSource} ({@code aml.jdbc.enabled=true}), on whatever store
 * {@code aml.location} names (opened by the core's {@code MemoryStoreProvider}s), on the file tree of
 * {@code aml.memory-root}, or in memory. The manager is closed when the context closes. Every bean backs
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
     * Where the memory lives, first match wins: a {@code MemoryManager} bean of the application (this
     * method does not run); a {@link MemoryStore} bean (the application's, or the one on its
     * {@code DataSource} for {@code aml.jdbc.enabled=true}); {@code aml.location}; {@code aml.memory-root};
     * else in memory. The properties exclude each other and a store bean: two of them fail the start.
     *
     * @param properties the {@code aml.*} properties
     * @param settings the settings
     * @param stores a store bean, if the application or {@code aml.jdbc.enabled} defines one
     * @return the manager, closed with the context
     * @throws IllegalStateException if two places for the memory are configured
     * @throws dev.aml.core.InvalidInputException if no store provider accepts {@code aml.location} or the
     *     store refuses an option, naming the property and what to write
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MemoryManager memoryManager(AmlProperties properties, AmlSettings settings,
            ObjectProvider<MemoryStore> stores) {
        checkOneLocation(properties);
        AmlProperties.Jdbc jdbc = properties.getJdbc();
        @Nullable MemoryStore store = stores.getIfAvailable();
        if (jdbc.isEnabled() && store == null) {
            throw new IllegalStateException("aml.jdbc.enabled=true needs dev.aml:aml-store-jdbc on the class path and a"
                    + " DataSource bean (spring.datasource.url=jdbc:postgresql://...)");
        }
        checkCredentials(properties);
        MemoryManager.Builder b = MemoryManager.builder();
        Path root = properties.getMemoryRoot();
        String location = properties.getLocation();
        if (store != null) {
            String configured = root != null ? "aml.memory-root (" + root + ")"
                    : location != null ? "aml.location (" + StoreLocation.shown(location) + ")" : null;
            if (configured != null) {
                throw new IllegalStateException(configured + " is set, but the application defines a"
                        + " MemoryStore bean (" + store.describe() + "): remove one");
            }
            return settings.applyTo(b, false).store(store).build();
        }
        if (location != null) {
            MemoryStore opened = StoreLocation.open(location, jdbc, settings);
            try {
                return settings.applyTo(b, false).store(opened).build();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        if (root != null) {
            return settings.applyTo(b, true).memoryRoot(root).build();
        }
        return settings.applyTo(b, false).build();
    }

    private static void checkOneLocation(AmlProperties properties) {
        List<String> set = new ArrayList<>();
        if (properties.getLocation() != null) {
            set.add("aml.location (" + StoreLocation.shown(properties.getLocation()) + ")");
        }
        if (properties.getMemoryRoot() != null) {
            set.add("aml.memory-root (" + properties.getMemoryRoot() + ")");
        }
        if (properties.getJdbc().isEnabled()) {
            set.add("aml.jdbc.enabled=true");
        }
        if (set.size() > 1) {
            throw new IllegalStateException(String.join(" and ", set) + " exclude each other: say in one of them"
                    + " where the memory lives (a tree, PostgreSQL or memory:)");
        }
    }

    /**
     * aml.jdbc.user and .password without a place they apply to would be ignored: refused. (A lone
     * aml.jdbc.schema stays ignored, as before aml.location existed.)
     */
    private static void checkCredentials(AmlProperties properties) {
        AmlProperties.Jdbc jdbc = properties.getJdbc();
        if (properties.getLocation() != null) {
            return;
        }
        List<String> set = new ArrayList<>();
        if (jdbc.getUser() != null) {
            set.add("aml.jdbc.user");
        }
        if (jdbc.getPassword() != null) {
            set.add("aml.jdbc.password");
        }
        if (jdbc.isEnabled() && !set.isEmpty()) {
            throw new IllegalStateException(String.join(" and ", set) + " apply to aml.location=jdbc:postgresql:...;"
                    + " with aml.jdbc.enabled=true the store uses the DataSource's own credentials"
                    + " (spring.datasource.username, spring.datasource.password): remove " + String.join(" and ", set));
        }
        if (!set.isEmpty()) {
            throw new IllegalStateException(String.join(" and ", set) + " apply to a PostgreSQL store opened by"
                    + " aml.location=jdbc:postgresql://host:port/database, but aml.location is not set: set it, or"
                    + " remove " + String.join(" and ", set));
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
            checkCredentials(properties);
            DataSource ds = dataSources.getIfAvailable();
            if (ds == null) {
                throw new IllegalStateException("aml.jdbc.enabled=true needs a DataSource bean"
                        + " (spring.datasource.url=jdbc:postgresql://...)");
            }
            JdbcMemoryStore.Builder b = JdbcMemoryStore.builder().dataSource(ds);
            String schema = properties.getJdbc().getSchema();
            if (schema != null) {
                b.schema(schema);
            }
            return b.build();
        }
    }
}
