package dev.aml.core;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How {@link MemoryStore#open(String, StoreOptions)} opens a store. Options a store cannot honour
 * are refused by its provider with a message naming them.
 *
 * @param readOnly open without writing anything (no lock, no journal)
 * @param durability when writes reach the disk; empty for the store's default
 * @param clock the clock for the store's own timestamps; empty for the system UTC clock
 * @param settings store-specific settings by name, e.g. {@code codec=gzip} for the file store or
 *     {@code user}/{@code password} for PostgreSQL: strings (what a command line or a properties file
 *     gives), or values of a type the store documents (the file store also takes a
 *     {@code CompressionCodec} as {@code codec})
 */
public record StoreOptions(boolean readOnly, Optional<Durability> durability, Optional<Clock> clock,
        Map<String, Object> settings) {

    /** Rejects nulls and copies the settings. */
    public StoreOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(clock, "clock");
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
    }

    /** @return read-write, the store's default durability, the system clock, no settings */
    public static StoreOptions defaults() {
        return new StoreOptions(false, Optional.empty(), Optional.empty(), Map.of());
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the options, with the value of every setting whose name contains "password" masked */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>(settings);
        shown.replaceAll((k, v) -> k.toLowerCase(java.util.Locale.ROOT).contains("password") ? "***" : v);
        return "StoreOptions[readOnly=" + readOnly + ", durability=" + durability + ", clock=" + clock
                + ", settings=" + shown + "]";
    }

    /**
     * @param name a setting's name
     * @return its value, if set
     */
    public Optional<Object> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** Builds {@link StoreOptions}; every option may be set once. */
    public static final class Builder {
        private @Nullable Boolean readOnly;
        private @Nullable Durability durability;
        private @Nullable Clock clock;
        private final Map<String, Object> settings = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param value open without writing anything (default {@code false})
         * @return this builder
         */
        public Builder readOnly(boolean value) {
            requireUnset(readOnly, "readOnly");
            readOnly = value;
            return this;
        }

        /**
         * @param value when writes reach the disk (default: the store's)
         * @return this builder
         */
        public Builder durability(Durability value) {
            requireUnset(durability, "durability");
            durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        /**
         * @param value the clock for the store's timestamps (default: system UTC)
         * @return this builder
         */
        public Builder clock(Clock value) {
            requireUnset(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @param name a store-specific setting's name
         * @param value its value: a string, or a value of a type the store documents
         * @return this builder
         */
        public Builder setting(String name, Object value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            requireUnset(settings.get(name), "setting " + name);
            settings.put(name, value);
            return this;
        }

        /** @return the options */
        public StoreOptions build() {
            return new StoreOptions(readOnly != null && readOnly, Optional.ofNullable(durability),
                    Optional.ofNullable(clock), settings);
        }

        private static void requireUnset(@Nullable Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
