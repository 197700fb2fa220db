package dev.aml.spring.boot;

import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.SettingSource;
import dev.aml.maintenance.settings.SettingsLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hands the {@code aml.<section>.*} properties to the one settings model, above {@code config/aml.json}. */
final class SpringSettings {

    /** Named in error messages as where a bad value came from. */
    static final String ORIGIN = "Spring properties aml.<section>.<key-in-kebab-case>";

    private SpringSettings() {
    }

    /**
     * @param properties the bound properties
     * @return the effective settings: defaults, then the tree's {@code config/aml.json} (when
     *     {@code aml.memory-root} or an {@code aml.location} that is a directory is set), then the properties
     */
    static EffectiveSettings load(AmlProperties properties) {
        SettingsLoader loader = SettingsLoader.create();
        Path root = properties.getMemoryRoot();
        String location = properties.getLocation();
        if (root == null && location != null) {
            root = StoreLocation.directory(location).orElse(null);
        }
        if (root != null) {
            loader.memoryRoot(root);
        }
        Map<String, String> values = keyPaths(properties);
        if (!values.isEmpty()) {
            loader.layer(SettingSource.ENV, ORIGIN, values);
        }
        return loader.load();
    }

    /**
     * @param properties the bound properties
     * @return their settings by key path, e.g. {@code prune.pattern_max_age_days}
     */
    static Map<String, String> keyPaths(AmlProperties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        properties.sections().forEach((section, keys) -> keys.forEach(
                (key, value) -> values.put(section + "." + key.replace('-', '_'), value)));
        return values;
    }
}
