package dev.aml.maintenance.settings;

/** Where an effective setting came from, lowest precedence first. */
public enum SettingSource {
    /** The record's default ({@code PruneConfig.defaults()} …), or the base settings a program gave. */
    DEFAULT,
    /** The settings file ({@code config/aml.json}, {@code --config FILE} or {@code AML_CONFIG}). */
    FILE,
    /** An environment variable {@code AML_<SECTION>_<KEY>}. */
    ENV,
    /** A command-line flag ({@code --set section.key=value} or a command's own option). */
    FLAG;

    /** @return the lower-case name shown by {@code aml config show} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
