package dev.aml.maintenance.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table lists every key, so a key added to a record is documented too. */
class SettingsReadmeTest {

    @Test
    void theSettingsTableHasEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("## Settings file");
        assertThat(start).isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        for (SettingKey k : AmlSettings.keys()) {
            assertThat(section).as("README settings table row for %s", k.path()).contains("`" + k.path() + "`");
        }
        assertThat(section).contains("`prune.pattern_max_age_days` | 90 |").contains("`backup.compression_level` | 9 |")
                .contains("`monitor.query_time_warning_ms` / `monitor.query_time_critical_ms` | 50 / 100 |")
                .contains("--config /etc/aml/aml.json");
    }
}
