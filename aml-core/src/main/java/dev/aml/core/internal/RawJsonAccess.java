package dev.aml.core.internal;

import dev.aml.core.RawJson;
import java.util.Objects;
import java.util.function.Function;

/**
 * Lets the sibling modules build a {@link RawJson} from text that is already compact JSON, without
 * parsing it again (the file store's decoder copies free-form bodies token by token into compact
 * text, so re-parsing them would only cost time). Not part of the public API: {@code RawJson} stays
 * unchanged for users, and this package is exported to the sibling modules only.
 *
 * <p>Callers must pass exactly what Jackson's compact generator of {@link Json#MAPPER} wrote for one
 * JSON value; anything else would break {@code RawJson}'s promise that equal values have equal text.
 */
public final class RawJsonAccess {

    private static volatile Function<String, RawJson> trusted;

    private RawJsonAccess() {
    }

    /**
     * Called once by {@link RawJson}'s static initializer.
     *
     * @param factory builds a value from trusted compact text
     * @throws IllegalStateException if a factory is already installed
     */
    public static synchronized void install(Function<String, RawJson> factory) {
        if (trusted != null) {
            throw new IllegalStateException("RawJsonAccess already has a factory: " + trusted);
        }
        trusted = Objects.requireNonNull(factory, "factory");
    }

    /**
     * @param compactJson one JSON value as written by {@link Json#MAPPER}'s compact generator
     * @return the value, without re-parsing the text
     */
    public static RawJson ofCompactTrusted(String compactJson) {
        Function<String, RawJson> f = trusted;
        if (f == null) {
            RawJson.emptyObject(); // initializes RawJson, which installs the factory
            f = trusted;
        }
        return f.apply(Objects.requireNonNull(compactJson, "compactJson"));
    }
}
