package dev.aml.maintenance.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings in force and where each value came from ({@code aml config show}).
 *
 * @param settings the settings
 * @param file the settings file that was read, or null when there was none
 * @param values every key's value and source, in {@link AmlSettings#keys()} order
 */
public record EffectiveSettings(AmlSettings settings, @Nullable Path file, List<SettingValue> values) {

    /** Copies the list; rejects nulls. */
    public EffectiveSettings {
        Objects.requireNonNull(settings, "settings");
        values = List.copyOf(values);
    }

    /**
     * @param keyPath e.g. {@code prune.pattern_max_age_days}
     * @return its value and source
     * @throws NoSuchElementException if there is no such key
     */
    public SettingValue value(String keyPath) {
        return values.stream().filter(v -> v.key().path().equals(keyPath)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no setting " + keyPath));
    }
}
