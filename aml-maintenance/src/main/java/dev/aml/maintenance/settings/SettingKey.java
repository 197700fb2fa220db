package dev.aml.maintenance.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One key of the settings file, e.g. {@code prune.pattern_max_age_days}.
 *
 * @param section the section: {@code prune}, {@code backup}, {@code monitor}, {@code store} or {@code cache}
 * @param name the snake_case key inside the section
 * @param type the JSON type the key takes
 * @param field the record component it sets, e.g. {@code PruneConfig.patternMaxAgeDays}
 */
public record SettingKey(String section, String name, Type type, String field) {

    /** The JSON type of a key's value. */
    public enum Type {
        /** A whole number. */
        INTEGER,
        /** A number, whole or not. */
        NUMBER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A string. */
        STRING,
        /** A file system path as a string, or {@code null} for the default place. */
        PATH,
        /** An array of strings (comma-separated in an environment variable or flag). */
        LIST;

        /** @return the lower-case name used in messages */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rejects nulls. */
    public SettingKey {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
    }

    /** @return {@code section.name}, e.g. {@code backup.compression_level} */
    public String path() {
        return section + "." + name;
    }

    /** @return the environment variable that sets it, e.g. {@code AML_BACKUP_COMPRESSION_LEVEL} */
    public String envName() {
        return "AML_" + section.toUpperCase(Locale.ROOT) + "_" + name.toUpperCase(Locale.ROOT);
    }

    /** @return the key in kebab-case, as Spring Boot properties spell it, e.g. {@code compression-level} */
    public String kebabName() {
        return name.replace('_', '-');
    }
}
