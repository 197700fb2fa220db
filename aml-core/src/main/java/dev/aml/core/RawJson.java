package dev.aml.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.internal.Json;
import dev.aml.core.internal.RawJsonAccess;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable JSON value kept as compact text: the free-form bodies of items (a pattern's
 * {@code pattern}, a solution's {@code problem}) and the fields AML does not model, carried along
 * so that a read-then-write round trip loses nothing.
 *
 * <p>Text is compact (no insignificant whitespace) and keeps key order, so two values are
 * {@linkplain #equals(Object) equal} exactly when they serialize the same. Keeping text instead of a
 * tree makes an item small in memory (about one byte per character for ASCII) and safe to share
 * between threads.
 */
public final class RawJson {

    private static final RawJson EMPTY_OBJECT = new RawJson("{}");

    static {
        RawJsonAccess.install(RawJson::ofCompactTrusted);
    }

    private final String json;

    private RawJson(String json) {
        this.json = json;
    }

    /** @return the empty object {@code {}} (a shared instance) */
    public static RawJson emptyObject() {
        return EMPTY_OBJECT;
    }

    /**
     * Wraps text that is already compact JSON as {@link Json#MAPPER} writes it, without parsing it;
     * reached by the sibling modules through {@link RawJsonAccess}.
     */
    private static RawJson ofCompactTrusted(String compactJson) {
        return compactJson.equals("{}") ? EMPTY_OBJECT : new RawJson(compactJson);
    }

    /**
     * @param json any JSON text
     * @return the value in compact form
     * @throws InvalidInputException if {@code json} is not one valid JSON value
     */
    public static RawJson parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return of(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param tree a Jackson tree; it is copied, later changes to it do not show
     * @return the value in compact form
     */
    public static RawJson of(JsonNode tree) {
        Objects.requireNonNull(tree, "tree");
        if (tree.isObject() && tree.isEmpty()) {
            return EMPTY_OBJECT;
        }
        try {
            return new RawJson(Json.MAPPER.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Cannot serialize JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param map keys to JSON-compatible values (strings, numbers, booleans, null, lists, maps)
     * @return the map as a JSON object, keys in the map's iteration order
     * @throws InvalidInputException if a value cannot be represented as JSON
     */
    public static RawJson of(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        try {
            return of(Json.MAPPER.<JsonNode>valueToTree(map));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Cannot represent the map as JSON: " + e.getMessage(), e);
        }
    }

    /** @return the compact JSON text */
    public String json() {
        return json;
    }

    /** @return a fresh, mutable Jackson tree of this value (changes to it do not affect this value) */
    public JsonNode tree() {
        if (this == EMPTY_OBJECT) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("RawJson holds invalid text", e);
        }
    }

    /** @return a fresh mutable object tree; an empty one if this value is not an object */
    public ObjectNode objectTree() {
        JsonNode tree = tree();
        return tree instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /** @return whether this is an object with no fields */
    public boolean isEmptyObject() {
        return json.equals("{}");
    }

    /** @return whether this value is a JSON object */
    public boolean isObject() {
        return json.startsWith("{");
    }

    /**
     * @param field a top-level field name
     * @return the field's value when this is an object that has it and it is a string
     */
    public Optional<String> string(String field) {
        if (isEmptyObject()) {
            return Optional.empty();
        }
        JsonNode node = tree().get(field);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    /**
     * Case-insensitive search in the string values (not the keys) of this value, at any depth.
     *
     * @param text the text to look for
     * @return whether some string value contains it
     */
    public boolean containsText(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        if (needle.isEmpty()) {
            return true;
        }
        if (!json.toLowerCase(Locale.ROOT).contains(needle) && !json.contains("\\")) {
            return false; // fast path: cannot occur in any value
        }
        return containsText(tree(), needle);
    }

    private static boolean containsText(JsonNode node, String needle) {
        if (node.isTextual()) {
            return node.textValue().toLowerCase(Locale.ROOT).contains(needle);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            if (containsText(it.next(), needle)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    /** @return the compact JSON text */
    @Override
    public String toString() {
        return json;
    }
}
