package dev.aml.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code aml.*} properties. Where the memory lives ({@code aml.location}, {@code aml.memory-root} or
 * {@code aml.jdbc.enabled}: at most one of them), whether the maintenance plan runs, how fresh the health
 * endpoint is, and
 * the settings of the CLI's {@code config/aml.json} in kebab-case: {@code aml.prune.*},
 * {@code aml.backup.*}, {@code aml.monitor.*}, {@code aml.store.*}, {@code aml.cache.*} (for example
 * {@code aml.prune.pattern-max-age-days=60} is the file's {@code "prune": {"pattern_max_age_days": 60}}).
 * Those five sections are not a second model: they are handed, key by key, to the one settings model
 * ({@code dev.aml.maintenance.settings.SettingsLoader}) above the tree's {@code config/aml.json}, which
 * validates them with the CLI's messages. List values are comma-separated.
 */
@ConfigurationProperties("aml")
public class AmlProperties {

    /** The Loom memory tree (e.g. .loom/memory), on the file store; excludes aml.location and aml.jdbc.enabled. */
    private @Nullable Path memoryRoot;

    /**
     * Where the memory lives, opened by the store provider that accepts it: a directory path or file: URI
     * (the Loom tree, like aml.memory-root), jdbc:postgresql://host:port/database (needs aml-store-jdbc;
     * credentials in aml.jdbc.user and aml.jdbc.password), memory: (gone at shutdown), or a location of a
     * third-party store on the class path. Excludes aml.memory-root and aml.jdbc.enabled; none of the
     * three: in memory.
     */
    private @Nullable String location;

    private final Jdbc jdbc = new Jdbc();
    private final Maintenance maintenance = new Maintenance();
    private final Health health = new Health();

    /** Section prune of the settings file config/aml.json, keys in kebab-case (e.g. pattern-max-age-days). */
    private Map<String, String> prune = new LinkedHashMap<>();
    /** Section backup of the settings file config/aml.json, keys in kebab-case (e.g. compression-level). */
    private Map<String, String> backup = new LinkedHashMap<>();
    /** Section monitor of the settings file config/aml.json, keys in kebab-case (e.g. query-time-warning-ms). */
    private Map<String, String> monitor = new LinkedHashMap<>();
    /** Section store of the settings file config/aml.json: durability (sync, batch, none), codec (none, gzip, lz4). */
    private Map<String, String> store = new LinkedHashMap<>();
    /** Section cache of the settings file config/aml.json: max-results. */
    private Map<String, String> cache = new LinkedHashMap<>();

    /** @return the memory root, if set */
    public @Nullable Path getMemoryRoot() {
        return memoryRoot;
    }

    /** @param memoryRoot the memory root */
    public void setMemoryRoot(@Nullable Path memoryRoot) {
        this.memoryRoot = memoryRoot;
    }

    /** @return the store location, if set */
    public @Nullable String getLocation() {
        return location;
    }

    /** @param location the store location */
    public void setLocation(@Nullable String location) {
        this.location = location;
    }

    /** @return the PostgreSQL store properties */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the maintenance scheduler properties */
    public Maintenance getMaintenance() {
        return maintenance;
    }

    /** @return the health indicator properties */
    public Health getHealth() {
        return health;
    }

    /** @return section prune */
    public Map<String, String> getPrune() {
        return prune;
    }

    /** @param prune section prune */
    public void setPrune(Map<String, String> prune) {
        this.prune = prune;
    }

    /** @return section backup */
    public Map<String, String> getBackup() {
        return backup;
    }

    /** @param backup section backup */
    public void setBackup(Map<String, String> backup) {
        this.backup = backup;
    }

    /** @return section monitor */
    public Map<String, String> getMonitor() {
        return monitor;
    }

    /** @param monitor section monitor */
    public void setMonitor(Map<String, String> monitor) {
        this.monitor = monitor;
    }

    /** @return section store */
    public Map<String, String> getStore() {
        return store;
    }

    /** @param store section store */
    public void setStore(Map<String, String> store) {
        this.store = store;
    }

    /** @return section cache */
    public Map<String, String> getCache() {
        return cache;
    }

    /** @param cache section cache */
    public void setCache(Map<String, String> cache) {
        this.cache = cache;
    }

    /** @return the five settings sections by name, in the settings file's order */
    Map<String, Map<String, String>> sections() {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put("prune", prune);
        s.put("backup", backup);
        s.put("monitor", monitor);
        s.put("store", store);
        s.put("cache", cache);
        return s;
    }

    /**
     * {@code aml.jdbc.*}: the PostgreSQL store, on the application's {@code DataSource}
     * ({@code enabled}, {@code schema}) or on {@code aml.location=jdbc:postgresql:…} ({@code user},
     * {@code password}, {@code schema}). {@link #toString()} never shows the password.
     */
    public static class Jdbc {
        /** Keep the memory in PostgreSQL, through the application's DataSource bean (needs aml-store-jdbc). */
        private boolean enabled;
        /** The schema of AML's tables (created if missing); unset: the store's default, aml. */
        private @Nullable String schema;
        /** The PostgreSQL user for aml.location=jdbc:postgresql:... (else the URL's user parameter). */
        private @Nullable String user;
        /**
         * The PostgreSQL password for aml.location=jdbc:postgresql:... (else the URL's password parameter);
         * never shown in messages or logs. Keep it out of application.properties: an environment variable
         * AML_JDBC_PASSWORD binds to it.
         */
        private @Nullable String password;

        /** @return whether the PostgreSQL store is used */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the PostgreSQL store is used */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the schema, if set */
        public @Nullable String getSchema() {
            return schema;
        }

        /** @param schema the schema */
        public void setSchema(@Nullable String schema) {
            this.schema = schema;
        }

        /** @return the user, if set */
        public @Nullable String getUser() {
            return user;
        }

        /** @param user the user */
        public void setUser(@Nullable String user) {
            this.user = user;
        }

        /** @return the password, if set */
        public @Nullable String getPassword() {
            return password;
        }

        /** @param password the password */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /** @return the properties, with the password masked */
        @Override
        public String toString() {
            return "Jdbc[enabled=" + enabled + ", schema=" + schema + ", user=" + user + ", password="
                    + (password == null ? null : "***") + "]";
        }
    }

    /** {@code aml.maintenance.*}: the quick reference's maintenance plan, in-process. */
    public static class Maintenance {
        /**
         * Run the seed's plan in-process: backup daily 02:00, prune Sundays 03:00, health daily 06:00,
         * optimize on the 1st at 04:00 (the clock's zone). Off by default: most deployments use cron.
         */
        private boolean enabled;

        /** @return whether the plan runs */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the plan runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code aml.health.*}: the Actuator health indicator. */
    public static class Health {
        /**
         * How long a health run is reused: every run reads every item file, so probes within this time
         * get the last result. 0 runs the checks on every call.
         */
        private Duration maxAge = Duration.ofSeconds(10);

        /** @return how long a health run is reused */
        public Duration getMaxAge() {
            return maxAge;
        }

        /** @param maxAge how long a health run is reused, not negative */
        public void setMaxAge(Duration maxAge) {
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("aml.health.max-age must not be negative, was " + maxAge);
            }
            this.maxAge = maxAge;
        }
    }
}
