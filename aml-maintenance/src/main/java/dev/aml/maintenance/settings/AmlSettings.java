package dev.aml.maintenance.settings;

import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.MonitorConfig;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.internal.settings.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of AML, one record per section of {@code config/aml.json}. Build it with
 * {@link SettingsLoader}; {@link #keys()} lists the keys, derived from the records' components.
 *
 * @param prune section {@code prune}: what pruning removes
 * @param backup section {@code backup}: how backups are taken, kept ({@code retention_days},
 *     {@code max_backups}, {@code keep_last/daily/weekly/monthly}) and checked
 * @param monitor section {@code monitor}: health thresholds
 * @param store section {@code store}: how the file store writes
 * @param cache section {@code cache}: the query cache
 */
public record AmlSettings(PruneConfig prune, BackupConfig backup, MonitorConfig monitor, StoreSettings store,
        CacheSettings cache) {

    /** Where the settings file lives, relative to the memory root. */
    public static final String FILE = "config/aml.json";
    /** Environment variable naming a settings file to read instead of {@link #FILE}. */
    public static final String CONFIG_ENV = "AML_CONFIG";

    /** Rejects nulls. */
    public AmlSettings {
        Objects.requireNonNull(prune, "prune");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(cache, "cache");
    }

    /** @return every record's defaults */
    public static AmlSettings defaults() {
        return new AmlSettings(PruneConfig.defaults(), BackupConfig.defaults(), MonitorConfig.defaults(),
                StoreSettings.defaults(), CacheSettings.defaults());
    }

    /** @return every key of the settings file, section by section, in record component order */
    public static List<SettingKey> keys() {
        return Schema.get().keys();
    }

    /**
     * @param memoryRoot a memory root
     * @return its settings file, {@code <memoryRoot>/config/aml.json} (not Loom's {@code <memoryRoot>/config.json})
     */
    public static Path file(Path memoryRoot) {
        return memoryRoot.resolve(FILE);
    }

    /**
     * @return these settings as the text of a settings file: every key of every section, pretty-printed
     *     ({@code aml config init} writes {@code defaults().toJson()})
     */
    public String toJson() {
        return Schema.get().toJson(this);
    }

    /**
     * @param builder a manager builder
     * @return {@code builder} with the backup, prune, monitor and cache settings applied (and, when
     *     {@code fileStore}, the store settings, which configure the file store it opens)
     */
    public MemoryManager.Builder applyTo(MemoryManager.Builder builder, boolean fileStore) {
        builder.backupConfig(backup).pruneConfig(prune).monitorConfig(monitor).cacheSize(cache.maxResults());
        if (fileStore) {
            builder.durability(store.durability()).codec(store.compressionCodec());
        }
        return builder;
    }
}
