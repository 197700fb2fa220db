package dev.aml.maintenance;

import dev.aml.core.InvalidInputException;
import dev.aml.core.internal.SetOnce;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Validation shared by the drafts: Loom's contexts are flat maps of strings, numbers and booleans. */
final class Drafts {

    private Drafts() {
    }

    static Map<String, Object> context(String owner, Map<String, ?> context) {
        Objects.requireNonNull(context, "context");
        Map<String, Object> copy = new LinkedHashMap<>();
        context.forEach((k, v) -> {
            if (k == null) {
                throw new InvalidInputException(owner + " context has a null key; use a non-empty string key");
            }
            if (v instanceof String || v instanceof Boolean) {
                copy.put(k, v);
            } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                copy.put(k, v);
            } else {
                throw new InvalidInputException(owner + " context value of '" + k + "' is "
                        + (v == null ? "null" : v.getClass().getSimpleName() + " " + v)
                        + "; Loom contexts hold only strings, finite numbers and booleans");
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    static String text(String owner, String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new InvalidInputException(owner + " " + field + " must not be blank");
        }
        return value;
    }

    static List<String> strings(String owner, String field, String... values) {
        List<String> list = new ArrayList<>(values.length);
        for (String v : values) {
            if (v == null) {
                throw new InvalidInputException(owner + " " + field + " contains null");
            }
            list.add(v);
        }
        return List.copyOf(list);
    }

    static List<String> tags(String owner, String... tags) {
        List<String> list = strings(owner, "tags", tags);
        for (String t : list) {
            if (t.isBlank()) {
                throw new InvalidInputException(owner + " tags contain a blank tag");
            }
        }
        return list;
    }

    static void once(@Nullable Object current, String field) {
        SetOnce.requireUnset(current, field);
    }
}
