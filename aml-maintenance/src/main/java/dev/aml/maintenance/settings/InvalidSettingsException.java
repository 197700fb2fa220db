package dev.aml.maintenance.settings;

import dev.aml.core.AmlException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The configuration is invalid: the settings file is not valid JSON, a key is unknown, a value has the
 * wrong type or is out of range, or two values contradict each other. Nothing was read or changed
 * before this is thrown; the CLI exits with 78 ({@code EX_CONFIG}). The message is one line naming the
 * file (or variable, or flag), the key path and what is allowed.
 */
public final class InvalidSettingsException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final @Nullable String keyPath;

    /**
     * @param origin the file, environment variable or flag that holds the bad setting
     * @param keyPath the key, e.g. {@code backup.compression_level}; null when the file as a whole is bad
     * @param problem what is wrong and what is allowed
     */
    public InvalidSettingsException(String origin, @Nullable String keyPath, String problem) {
        super(origin + ": " + (keyPath == null ? "" : keyPath + ": ") + problem);
        this.origin = origin;
        this.keyPath = keyPath;
    }

    /** @return the file, environment variable or flag that holds the bad setting */
    public String origin() {
        return origin;
    }

    /** @return the key path, or null when the file as a whole is bad (not JSON, missing) */
    public @Nullable String keyPath() {
        return keyPath;
    }
}
