package dev.aml.maintenance.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.PruneConfig;
import org.junit.jupiter.api.Test;

/** {@link AmlSettings#applyTo} gives a manager every section's settings. */
class ApplySettingsTest {

    @Test
    void aManagerBuiltFromSettingsMonitorsAndPrunesWithThem() {
        AmlSettings s = new AmlSettings(PruneConfig.builder().patternMaxAgeDays(45).build(),
                BackupConfig.builder().keepDaily(3).build(),
                MonitorConfig.builder().cacheHitRate(0.7, 0.5).build(), StoreSettings.defaults(), new CacheSettings(0));
        try (MemoryManager aml = s.applyTo(MemoryManager.builder(), false).build()) {
            assertThat(aml.pruneConfig()).isEqualTo(s.prune());
            assertThat(aml.monitorConfig()).isEqualTo(s.monitor());
            assertThat(aml.backupConfig()).isEqualTo(s.backup());
        }
        try (MemoryManager plain = MemoryManager.builder().build()) {
            assertThat(plain.pruneConfig()).isEqualTo(PruneConfig.defaults());
            assertThat(plain.monitorConfig()).isEqualTo(MonitorConfig.defaults());
        }
    }

    @Test
    void aggressiveLimitsOnlyTighten() {
        assertThat(PruneConfig.defaults().withAggressiveLimits()).isEqualTo(PruneConfig.aggressive());
        PruneConfig strict = PruneConfig.builder().patternMaxAgeDays(30).minSuccessRate(0.5).build();
        PruneConfig tightened = strict.withAggressiveLimits();
        assertThat(tightened.patternMaxAgeDays()).isEqualTo(30);
        assertThat(tightened.minSuccessRate()).isEqualTo(0.5);
        assertThat(tightened.decisionMaxAgeDays()).isEqualTo(PruneConfig.AGGRESSIVE_DECISION_MAX_AGE_DAYS);
    }
}
