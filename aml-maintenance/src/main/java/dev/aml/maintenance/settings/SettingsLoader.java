package dev.aml.maintenance.settings;

import dev.aml.maintenance.internal.settings.Loader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the settings of one run, layer by layer: command-line flag &gt; environment &gt; file &gt; default.
 *
 * <pre>{@code
 * EffectiveSettings s = SettingsLoader.create()
 *         .memoryRoot(Path.of(".loom/memory"))      // reads .loom/memory/config/aml.json if present
 *         .environment(System.getenv())              // AML_CONFIG, AML_PRUNE_PATTERN_MAX_AGE_DAYS=60 …
 *         .flag("prune.min_success_rate", "0.3", "--set")
 *         .load();                                   // InvalidSettingsException if anything is wrong
 * PruneConfig prune = s.settings().prune();
 * }</pre>
 *
 * <p>The file is {@code --config FILE} ({@link #file}) if given, else the file named by
 * {@code AML_CONFIG}, else {@code <memory-root>/config/aml.json} if it exists. An explicitly named
 * file must exist. Relative {@link SettingKey.Type#PATH} values from the file or the environment are
 * resolved against the memory root (the current directory without one). Each option may be set once.
 */
public final class SettingsLoader {

    private @Nullable Path memoryRoot;
    private @Nullable Path file;
    private @Nullable Map<String, String> environment;
    private @Nullable AmlSettings base;
    private final List<Loader.Layer> layers = new ArrayList<>();

    private SettingsLoader() {
    }

    /** @return a loader with no layers: {@link #load()} then returns the defaults */
    public static SettingsLoader create() {
        return new SettingsLoader();
    }

    /**
     * @param root the memory root: where {@code config/aml.json} is looked for, and what relative paths
     *     are resolved against
     * @return this loader
     */
    public SettingsLoader memoryRoot(Path root) {
        requireUnset(memoryRoot, "memoryRoot");
        memoryRoot = Objects.requireNonNull(root, "root");
        return this;
    }

    /**
     * @param settingsFile the settings file to read ({@code --config FILE}); it must exist
     * @return this loader
     */
    public SettingsLoader file(Path settingsFile) {
        requireUnset(file, "file");
        file = Objects.requireNonNull(settingsFile, "settingsFile");
        return this;
    }

    /**
     * @param env the environment: {@value AmlSettings#CONFIG_ENV} names a file, {@code AML_<SECTION>_<KEY>}
     *     sets a key (e.g. {@code AML_BACKUP_COMPRESSION_LEVEL=6}); other variables are ignored
     * @return this loader
     */
    public SettingsLoader environment(Map<String, String> env) {
        requireUnset(environment, "environment");
        environment = Map.copyOf(env);
        return this;
    }

    /**
     * @param settings the values of the {@link SettingSource#DEFAULT} layer, and of the components no
     *     file can set (such as {@code MonitorConfig.metricsSink}); default {@link AmlSettings#defaults()}
     * @return this loader
     */
    public SettingsLoader base(AmlSettings settings) {
        requireUnset(base, "base");
        base = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Sets one key from a command-line flag (may be called for many keys; a later call for the same key
     * wins).
     *
     * @param keyPath e.g. {@code prune.pattern_max_age_days}
     * @param value the value: a string as typed (parsed like an environment variable: lists
     *     comma-separated), or its JSON form ({@code Number}, {@code Boolean}, {@code List}, or null for a path)
     * @param origin the flag, e.g. {@code --aggressive}, named in error messages and by {@code config show}
     * @return this loader
     */
    public SettingsLoader flag(String keyPath, @Nullable Object value, String origin) {
        Map<String, @Nullable Object> one = new LinkedHashMap<>();
        one.put(keyPath, value);
        return layer(SettingSource.FLAG, origin, one);
    }

    /**
     * Adds values above the file (for {@link SettingSource#ENV} or {@link SettingSource#FLAG}) or, for
     * {@link SettingSource#FILE}, in place of a file: how a framework binds its own property sources
     * (Spring Boot: {@code aml.prune.pattern-max-age-days}, with kebab-case converted to the key path).
     * Layers of the same source apply in the order added.
     *
     * @param source the layer's precedence
     * @param origin what to name in messages, e.g. {@code application.yml}
     * @param values values by key path, as in {@link #flag}
     * @return this loader
     */
    public SettingsLoader layer(SettingSource source, String origin, Map<String, ? extends @Nullable Object> values) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
        if (source == SettingSource.DEFAULT) {
            throw new IllegalArgumentException("the default layer is base(AmlSettings), not a layer");
        }
        layers.add(new Loader.Layer(source, origin, new LinkedHashMap<>(values)));
        return this;
    }

    /**
     * @return the settings in force and the source of each value
     * @throws InvalidSettingsException (one line naming the file, variable or flag, the key path and what
     *     is allowed) if the file is not valid JSON or any value is unknown, mistyped, out of range or
     *     contradicts another
     */
    public EffectiveSettings load() {
        return new Loader(memoryRoot, file, environment == null ? Map.of() : environment,
                base == null ? AmlSettings.defaults() : base, layers).load();
    }

    /**
     * Checks one settings file on its own (defaults beneath it, no environment or flags).
     *
     * @param settingsFile the file
     * @return the settings it gives
     * @throws InvalidSettingsException if it is not valid, or does not exist
     */
    public static EffectiveSettings validate(Path settingsFile) {
        return create().file(settingsFile).load();
    }

    /**
     * Writes {@link AmlSettings#defaults()} as a settings file, atomically (temporary file, fsync, link),
     * creating its folder; never replaces an existing file.
     *
     * @param settingsFile where to write, e.g. {@link AmlSettings#file(Path)}
     * @throws java.nio.file.FileAlreadyExistsException wrapped in {@link java.io.UncheckedIOException} if it exists
     * @throws java.io.UncheckedIOException if it cannot be written; nothing is then created
     */
    public static void init(Path settingsFile) {
        Loader.writeNew(settingsFile, AmlSettings.defaults().toJson());
    }

    private static void requireUnset(@Nullable Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }
}
