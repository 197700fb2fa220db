package dev.aml.maintenance.settings;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The effective value of one key and where it came from.
 *
 * @param key the key
 * @param value the value in its JSON form: {@code Long}, {@code Double}, {@code Boolean}, {@code String},
 *     {@code List<String>}, or {@code null} (only a {@link SettingKey.Type#PATH} key: the default place)
 * @param source which layer set it
 * @param origin the file, environment variable or flag that set it; {@code "default"} for defaults
 */
public record SettingValue(SettingKey key, @Nullable Object value, SettingSource source, String origin) {

    /** Rejects nulls where they mean nothing. */
    public SettingValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
    }
}
