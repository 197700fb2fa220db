package dev.aml.loom.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.aml.core.RawJson;
import dev.aml.core.internal.RawJsonAccess;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The field names of Loom items and how they are taken out of an object: camelCase first, then its
 * snake_case form ({@code successRate} / {@code success_rate}), each value checked for its type (a
 * {@link ShapeException} names the field otherwise); what is not taken is the item's extra.
 */
final class ItemFields {

    private final ObjectNode node;
    private final String path;
    private final ZoneId zone;

    /**
     * @param node the object to take fields from; taken fields are removed from it
     * @param path where the object is, for messages ({@code "metrics."} for a nested one)
     * @param zone the zone of naive timestamps
     */
    ItemFields(ObjectNode node, String path, ZoneId zone) {
        this.node = node;
        this.path = path;
        this.zone = zone;
    }

    private @Nullable Taken take(String camel) {
        JsonNode v = node.remove(camel);
        if (v != null) {
            return new Taken(camel, v);
        }
        String snake = snake(camel);
        if (!snake.equals(camel)) {
            v = node.remove(snake);
            if (v != null) {
                return new Taken(snake, v);
            }
        }
        return null;
    }

    private String where(Taken t) {
        return "field '" + path + t.key + "'";
    }

    String string(String name, String dflt) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return dflt;
        }
        if (!t.value.isTextual()) {
            throw new ShapeException(where(t) + " must be a string, was " + show(t.value));
        }
        return t.value.textValue();
    }

    double number(String name, double dflt) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return dflt;
        }
        if (!t.value.isNumber() || !Double.isFinite(t.value.doubleValue())) {
            throw new ShapeException(where(t) + " must be a finite number, was " + show(t.value));
        }
        return t.value.doubleValue();
    }

    long integer(String name, long dflt) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return dflt;
        }
        JsonNode v = t.value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isFloatingPointNumber()) {
            double d = v.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
        }
        throw new ShapeException(where(t) + " must be a whole number, was " + show(v));
    }

    boolean bool(String name, boolean dflt) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return dflt;
        }
        if (!t.value.isBoolean()) {
            throw new ShapeException(where(t) + " must be true or false, was " + show(t.value));
        }
        return t.value.booleanValue();
    }

    List<String> strings(String name) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return List.of();
        }
        if (!t.value.isArray()) {
            throw new ShapeException(where(t) + " must be an array of strings, was " + show(t.value));
        }
        List<String> out = new ArrayList<>(t.value.size());
        int i = 0;
        for (JsonNode e : t.value) {
            if (!e.isTextual()) {
                throw new ShapeException(where(t) + " must be an array of strings, but its element " + i
                        + " is " + show(e));
            }
            out.add(e.textValue());
            i++;
        }
        return out;
    }

    RawJson raw(String name) {
        Taken t = take(name);
        if (t == null) {
            return RawJson.emptyObject();
        }
        String text = rawText(t.value);
        return text != null ? RawJsonAccess.ofCompactTrusted(text) : RawJson.of(t.value);
    }

    @Nullable ItemFields object(String name) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return null;
        }
        if (!(t.value instanceof ObjectNode o)) {
            throw new ShapeException(where(t) + " must be an object, was " + show(t.value));
        }
        return new ItemFields(o, path + t.key + ".", zone);
    }

    @Nullable Instant timestamp(String name) {
        Taken t = take(name);
        if (t == null || t.value.isNull()) {
            return null;
        }
        Instant parsed = t.value.isTextual() ? LoomTimestamps.parseTimestamp(t.value.textValue(), zone) : null;
        if (parsed == null) {
            node.set(t.key, t.value); // kept verbatim, written back unchanged
        }
        return parsed;
    }

    RawJson rest() {
        return node.isEmpty() ? RawJson.emptyObject() : RawJson.of(node);
    }

    RawJson all() {
        return rest();
    }

    private record Taken(String key, JsonNode value) {
    }

    private static String show(JsonNode v) {
        String raw = rawText(v);
        String text = raw != null ? raw : v.toString();
        String type = raw != null ? (raw.startsWith("{") ? "object" : "array") : v.getNodeType().name();
        return type.toLowerCase(Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /**
     * @param camel a camelCase name
     * @return its snake_case form ({@code successRate} → {@code success_rate})
     */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }


    static @Nullable String rawText(JsonNode v) {
        return v instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw ? (String) raw.rawValue() : null;
    }
}
