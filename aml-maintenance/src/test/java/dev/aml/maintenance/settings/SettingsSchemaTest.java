package dev.aml.maintenance.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MonitorConfig;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.internal.settings.Schema;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys are derived from the records: every component has one, and the defaults round-trip. */
class SettingsSchemaTest {

    @TempDir
    Path dir;

    @Test
    void everyRecordComponentHasAKeyOrIsDeclaredJavaOnly() {
        for (Schema.Section s : Schema.get().sections()) {
            assertThat(s.unmapped())
                    .as("components of %s without a key: give each a key in Schema (a snake_case name, a Duration"
                            + " unit in DURATION_UNITS, or a JAVA_ONLY reason)", s.type().getSimpleName())
                    .isEmpty();
            Set<String> bound = s.bindings().stream().map(b -> b.component().getName()).collect(Collectors.toSet());
            for (RecordComponent c : s.type().getRecordComponents()) {
                assertThat(bound.contains(c.getName())
                        || s.javaOnly().containsKey(s.type().getSimpleName() + "." + c.getName()))
                        .as("%s.%s has a key", s.type().getSimpleName(), c.getName()).isTrue();
            }
        }
        assertThat(Schema.get().section("prune").type()).isEqualTo(PruneConfig.class);
        assertThat(Schema.get().section("backup").type()).isEqualTo(BackupConfig.class);
        assertThat(Schema.get().section("monitor").type()).isEqualTo(MonitorConfig.class);
    }

    @Test
    void theQuickReferenceNamesAreKeys() {
        List<String> paths = AmlSettings.keys().stream().map(SettingKey::path).toList();
        assertThat(paths).contains("prune.pattern_max_age_days", "prune.min_success_rate", "prune.preserve_high_value",
                "backup.compression_level", "backup.incremental_enabled", "backup.verify_after_backup",
                "monitor.query_time_warning_ms", "monitor.cache_hit_rate_warning", "monitor.agent_memory_critical_mb",
                "monitor.global_memory_warning_mb", "monitor.alert_retention_days", "prune.agent_memory_limit",
                "backup.retention_days", "backup.max_backups", "backup.keep_last", "backup.keep_daily",
                "backup.keep_weekly", "backup.keep_monthly", "store.durability", "cache.max_results");
        assertThat(paths).doesNotHaveDuplicates();
        assertThat(paths).noneMatch(p -> p.contains("metrics_sink"));
    }

    @Test
    void everyKeyCountsAsAComponentOnce() {
        int components = Schema.get().sections().stream()
                .mapToInt(s -> s.bindings().stream().mapToInt(b -> b.keys().size()).sum()).sum();
        assertThat(AmlSettings.keys()).hasSize(components);
        assertThat(Arrays.stream(MonitorConfig.class.getRecordComponents()).map(RecordComponent::getName))
                .contains("metricsSink");
    }

    @Test
    void defaultsWrittenByInitLoadBackAsTheDefaults() throws Exception {
        Path file = dir.resolve("config/aml.json");
        SettingsLoader.init(file);
        EffectiveSettings loaded = SettingsLoader.validate(file);
        assertThat(loaded.settings()).isEqualTo(AmlSettings.defaults());
        assertThat(loaded.values()).allMatch(v -> v.source() == SettingSource.FILE);
        assertThat(Files.readString(file)).contains("\"pattern_max_age_days\" : 90").contains("\"backup_root\" : null")
                .contains("\"query_time_warning_ms\" : 50");
    }

    @Test
    void changedSettingsRoundTripThroughTheirJson() throws Exception {
        AmlSettings changed = new AmlSettings(PruneConfig.aggressive(),
                BackupConfig.defaults().toBuilder().compressionLevel(6).keepDaily(7).keepMonthly(12)
                        .fullBackupMaxAge(java.time.Duration.ofHours(36)).build(),
                MonitorConfig.builder().queryTimeMillis(50, 100).cacheHitRate(0.70, 0.50).build(),
                new StoreSettings(dev.aml.core.Durability.SYNC, "gzip"), new CacheSettings(500));
        Path file = dir.resolve("aml.json");
        Files.writeString(file, changed.toJson());
        assertThat(SettingsLoader.validate(file).settings()).isEqualTo(changed);
    }
}
