package dev.aml.maintenance.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.PruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    Path root;
    Path file;

    @BeforeEach
    void tree() throws Exception {
        root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("config"));
        file = root.resolve("config/aml.json");
    }

    EffectiveSettings load(String json) throws Exception {
        Files.writeString(file, json);
        return SettingsLoader.create().memoryRoot(root).load();
    }

    InvalidSettingsException refused(String json) throws Exception {
        Files.writeString(file, json);
        try {
            SettingsLoader.create().memoryRoot(root).load();
        } catch (InvalidSettingsException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e;
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void withoutAFileEverythingIsDefault() {
        EffectiveSettings s = SettingsLoader.create().memoryRoot(root).load();
        assertThat(s.settings()).isEqualTo(AmlSettings.defaults());
        assertThat(s.file()).isNull();
        assertThat(s.values()).allMatch(v -> v.source() == SettingSource.DEFAULT);
    }

    @Test
    void theThreeQuickReferenceSnippetsBuildTheSameRecordsAsJava() throws Exception {
        EffectiveSettings s = load("""
                {"prune": {"pattern_max_age_days": 60, "min_success_rate": 0.30, "preserve_high_value": true},
                 "backup": {"compression_level": 6, "incremental_enabled": true, "verify_after_backup": false},
                 "monitor": {"query_time_warning_ms": 50, "cache_hit_rate_warning": 0.70}}""");
        assertThat(s.settings().prune()).isEqualTo(PruneConfig.builder().patternMaxAgeDays(60).minSuccessRate(0.30)
                .preserveHighValue(true).build());
        assertThat(s.settings().backup()).isEqualTo(BackupConfig.builder().compressionLevel(6).incrementalEnabled(true)
                .verifyAfterBackup(false).build());
        assertThat(s.settings().monitor()).isEqualTo(MonitorConfig.builder().queryTimeMillis(50, 100)
                .cacheHitRate(0.70, 0.50).build());
        assertThat(s.value("backup.compression_level").source()).isEqualTo(SettingSource.FILE);
        assertThat(s.value("backup.compression_level").origin()).isEqualTo(file.toString());
        assertThat(s.value("backup.codec").source()).isEqualTo(SettingSource.DEFAULT);
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Files.writeString(file, "{\"prune\": {\"pattern_max_age_days\": 60, \"min_success_rate\": 0.3,"
                + " \"decision_max_age_days\": 100}}");
        EffectiveSettings s = SettingsLoader.create().memoryRoot(root)
                .environment(Map.of("AML_PRUNE_MIN_SUCCESS_RATE", "0.4", "AML_PRUNE_DECISION_MAX_AGE_DAYS", "90",
                        "AML_JDBC_USER", "ignored"))
                .flag("prune.decision_max_age_days", "80", "--set")
                .load();
        PruneConfig p = s.settings().prune();
        assertThat(p.patternMaxAgeDays()).isEqualTo(60);
        assertThat(p.minSuccessRate()).isEqualTo(0.4);
        assertThat(p.decisionMaxAgeDays()).isEqualTo(80);
        assertThat(p.failedPatternMaxAgeDays()).isEqualTo(PruneConfig.DEFAULT_FAILED_PATTERN_MAX_AGE_DAYS);
        assertThat(s.value("prune.pattern_max_age_days").source()).isEqualTo(SettingSource.FILE);
        assertThat(s.value("prune.min_success_rate").source()).isEqualTo(SettingSource.ENV);
        assertThat(s.value("prune.min_success_rate").origin()).isEqualTo("environment variable AML_PRUNE_MIN_SUCCESS_RATE");
        assertThat(s.value("prune.decision_max_age_days").source()).isEqualTo(SettingSource.FLAG);
        assertThat(s.value("prune.failed_pattern_max_age_days").source()).isEqualTo(SettingSource.DEFAULT);
    }

    @Test
    void amlConfigNamesAnotherFileAndAnExplicitFileBeatsIt() throws Exception {
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"backup\": {\"max_backups\": 5}}");
        Path third = dir.resolve("third.json");
        Files.writeString(third, "{\"backup\": {\"max_backups\": 7}}");
        Files.writeString(file, "{\"backup\": {\"max_backups\": 3}}");
        assertThat(SettingsLoader.create().memoryRoot(root).environment(Map.of("AML_CONFIG", other.toString())).load()
                .settings().backup().maxBackups()).isEqualTo(5);
        assertThat(SettingsLoader.create().memoryRoot(root).file(third)
                .environment(Map.of("AML_CONFIG", other.toString())).load().settings().backup().maxBackups())
                .isEqualTo(7);
        assertThatThrownBy(() -> SettingsLoader.create().file(dir.resolve("missing.json")).load())
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("missing.json")
                .hasMessageContaining("does not exist");
    }

    @Test
    void loomsOwnConfigJsonAtTheRootIsNeverRead() throws Exception {
        Files.writeString(root.resolve("config.json"), "{\"agentOverrides\": {}, \"prune\": 12, not json");
        EffectiveSettings s = SettingsLoader.create().memoryRoot(root).load();
        assertThat(s.settings()).isEqualTo(AmlSettings.defaults());
        assertThat(s.file()).isNull();
    }

    @Test
    void invalidJsonNamesLineAndColumn() throws Exception {
        InvalidSettingsException e = refused("{\n  \"prune\": {\n    \"pattern_max_age_days\": 60,,\n  }\n}");
        assertThat(e.getMessage()).startsWith(file.toString() + ": not valid JSON at line 3, column ");
        assertThat(e.keyPath()).isNull();
        assertThat(refused("{\"prune\": {\"min_success_rate\": 0.3, \"min_success_rate\": 0.4}}").getMessage())
                .contains("Duplicate field 'min_success_rate'");
        assertThat(refused("").getMessage()).contains("is empty");
    }

    @Test
    void unknownKeysSuggestTheNearestValidName() throws Exception {
        InvalidSettingsException e = refused("{\"prune\": {\"pattern_max_age\": 60}}");
        assertThat(e.keyPath()).isEqualTo("prune.pattern_max_age");
        assertThat(e.getMessage()).startsWith(file + ": prune.pattern_max_age: unknown key; did you mean"
                + " pattern_max_age_days?");
        assertThat(refused("{\"prunning\": {}}").getMessage()).contains("did you mean prune?");
        assertThat(refused("{\"prune\": {\"compression_level\": 6}}").getMessage())
                .contains("did you mean backup.compression_level?");
        assertThat(refused("{\"monitor\": {\"metrics_sink\": \"x\"}}").getMessage())
                .contains("cannot be set in a file");
    }

    @Test
    void wrongTypesSayWhatIsExpected() throws Exception {
        assertThat(refused("{\"backup\": {\"compression_level\": \"6\"}}").getMessage())
                .isEqualTo(file + ": backup.compression_level: must be a whole number, was \"6\" (a string)");
        assertThat(refused("{\"backup\": {\"compression_level\": 6.5}}").getMessage())
                .contains("must be a whole number, was 6.5");
        assertThat(refused("{\"prune\": {\"preserve_high_value\": \"yes\"}}").getMessage())
                .contains("prune.preserve_high_value: must be true or false");
        assertThat(refused("{\"prune\": {\"strategies\": \"time_based\"}}").getMessage())
                .contains("must be an array of strings");
        assertThat(refused("{\"prune\": 60}").getMessage()).contains("prune: must be an object");
        assertThat(refused("{\"prune\": {\"min_success_rate\": null}}").getMessage()).contains("must be a number");
    }

    @Test
    void outOfRangeValuesAreTheRecordsOwnRulesInTheFilesWords() throws Exception {
        assertThat(refused("{\"backup\": {\"compression_level\": 12}}").getMessage())
                .isEqualTo(file + ": backup.compression_level: must be 1..9, was 12");
        assertThat(refused("{\"prune\": {\"min_success_rate\": 1.5}}").getMessage())
                .isEqualTo(file + ": prune.min_success_rate: must be in [0, 1], was 1.5");
        assertThat(refused("{\"prune\": {\"strategies\": [\"time_based\", \"newest\"]}}").getMessage())
                .contains("prune.strategies: Unknown prune strategy 'newest'");
        assertThat(refused("{\"backup\": {\"max_backups\": 99999999999}}").getMessage())
                .contains("backup.max_backups: must be a whole number in [");
        assertThat(refused("{\"cache\": {\"max_results\": -1}}").getMessage())
                .contains("cache.max_results: must be >= 0");
        assertThat(refused("{\"store\": {\"durability\": \"fast\"}}").getMessage())
                .contains("store.durability: must be one of [sync, batch, none]");
    }

    @Test
    void contradictionsNameBothKeys() throws Exception {
        InvalidSettingsException e = refused("{\"backup\": {\"rehash_all\": true, \"trust_file_times\": true}}");
        assertThat(e.getMessage()).contains("backup.rehash_all and backup.trust_file_times contradict each other");
        InvalidSettingsException t = refused("{\"monitor\": {\"query_time_warning_ms\": 150}}");
        assertThat(t.keyPath()).isEqualTo("monitor.query_time_warning_ms");
        assertThat(t.getMessage()).contains("critical level 100.0 must be at or above the warning level 150.0")
                .contains("monitor.query_time_critical_ms");
    }

    @Test
    void badEnvironmentAndFlagValuesNameTheirOrigin() {
        assertThatThrownBy(() -> SettingsLoader.create().environment(Map.of("AML_BACKUP_COMPRESSION_LEVEL", "six"))
                .load()).hasMessage("environment variable AML_BACKUP_COMPRESSION_LEVEL: backup.compression_level: must"
                        + " be a whole number, was 'six'");
        assertThatThrownBy(() -> SettingsLoader.create().environment(Map.of("AML_PRUNE_PATTERN_MAX_AGE", "6")).load())
                .hasMessageContaining("did you mean pattern_max_age_days?");
        assertThatThrownBy(() -> SettingsLoader.create().flag("backup.compression_level", "0", "--set").load())
                .hasMessage("--set: backup.compression_level: must be 1..9, was 0");
        assertThatThrownBy(() -> SettingsLoader.create().flag("prune.pattern_max_age", "1", "--set").load())
                .hasMessageContaining("did you mean pattern_max_age_days?");
    }

    @Test
    void durationsTakeTheUnitInTheirNameAndPathsResolveAgainstTheMemoryRoot() throws Exception {
        EffectiveSettings s = load("{\"backup\": {\"full_backup_max_age_days\": 1.5, \"backup_root\": \"../bk\"}}");
        assertThat(s.settings().backup().fullBackupMaxAge()).isEqualTo(Duration.ofHours(36));
        assertThat(s.settings().backup().backupRoot()).isEqualTo(root.resolve("../bk").normalize());
        EffectiveSettings m = load("{\"monitor\": {\"index_max_age_hours\": 12, \"alert_retention_days\": 30}}");
        assertThat(m.settings().monitor().indexMaxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(m.settings().monitor().alertRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void listsComeAsArraysInFilesAndCommaSeparatedInVariables() throws Exception {
        EffectiveSettings s = SettingsLoader.create().environment(Map.of("AML_PRUNE_STRATEGIES", "space_based, time_based",
                "AML_PRUNE_AGENTS", "coder")).load();
        assertThat(s.settings().prune().strategyNames()).containsExactly("space_based", "time_based");
        assertThat(s.settings().prune().agents()).extracting(a -> a.name()).containsExactly("coder");
        assertThat(s.value("prune.strategies").value()).isEqualTo(List.of("space_based", "time_based"));
    }

    @Test
    void aFrameworkLayerTakesTypedValues() {
        EffectiveSettings s = SettingsLoader.create()
                .layer(SettingSource.FILE, "application.yml", Map.of("backup.keep_daily", 7, "prune.create_backup", false))
                .load();
        assertThat(s.settings().backup().keepDaily()).isEqualTo(7);
        assertThat(s.settings().prune().createBackup()).isFalse();
        assertThat(s.value("backup.keep_daily").origin()).isEqualTo("application.yml");
    }

    @Test
    void initRefusesToOverwrite() throws Exception {
        Files.writeString(file, "{\"prune\": {}}");
        assertThatThrownBy(() -> SettingsLoader.init(file)).hasCauseInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("{\"prune\": {}}");
    }
}
