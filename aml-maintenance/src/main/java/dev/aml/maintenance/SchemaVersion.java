package dev.aml.maintenance;

import dev.aml.core.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The schema versions of a Loom memory tree, oldest first (Loom's {@code SchemaVersion}). */
public enum SchemaVersion {
    /** The original shape. */
    V1_0_0("1.0.0"),
    /** Every item has {@code tags}; patterns have {@code active}; timestamps normalised. */
    V1_1_0("1.1.0"),
    /** Every item has {@code metadata}; patterns have {@code variations}. */
    V1_2_0("1.2.0"),
    /** Patterns use {@code performance}/{@code lifecycle} (snake_case); every item has {@code version}. */
    V2_0_0("2.0.0");

    private final String text;

    SchemaVersion(String text) {
        this.text = text;
    }

    /** @return the version as written in files, e.g. {@code 1.2.0} */
    public String text() {
        return text;
    }

    /** @return the newest version */
    public static SchemaVersion latest() {
        return V2_0_0;
    }

    /**
     * @param text a version such as {@code 1.1.0} (a leading {@code v} is accepted)
     * @return the version
     * @throws InvalidInputException naming the known versions
     */
    public static SchemaVersion of(String text) {
        String t = text.strip();
        if (t.startsWith("v") || t.startsWith("V")) {
            t = t.substring(1);
        }
        for (SchemaVersion v : values()) {
            if (v.text.equals(t)) {
                return v;
            }
        }
        throw new InvalidInputException("Unknown schema version '" + text + "'; known versions: "
                + Arrays.stream(values()).map(SchemaVersion::text).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
