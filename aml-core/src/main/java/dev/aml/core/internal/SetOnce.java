package dev.aml.core.internal;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The set-once rule of every AML builder (Caffeine's style): an option may be given once, and a
 * second call fails with {@link IllegalStateException} naming the value already set. The one helper
 * for it; builders keep either a {@code SetOnce} of their options or {@code null} fields checked with
 * {@link #requireUnset}.
 */
public final class SetOnce {

    private final Map<String, Object> values = new HashMap<>();

    /** Creates an empty record of options. */
    public SetOnce() {
    }

    /**
     * Records the first value of an option.
     *
     * @param option the option's name
     * @param value its value
     * @throws IllegalStateException if the option was set before
     */
    public void set(String option, Object value) {
        Object old = values.putIfAbsent(option, value);
        if (old != null) {
            throw new IllegalStateException(option + " was already set to " + old);
        }
    }

    /**
     * For builders whose fields stay {@code null} until set.
     *
     * @param current the option's current value
     * @param option the option's name
     * @throws IllegalStateException if {@code current} is not {@code null}
     */
    public static void requireUnset(@Nullable Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }
}
