package dev.aml.core.internal.relevance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.Decision;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.Solution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What relevance sees of an item, extracted once when it is indexed: its type (a pattern's or
 * decision's {@code type}), its error type (a solution's {@code problem.errorType}), its flat
 * context, and its text: every string value of its body (a pattern's {@code pattern}, a solution's
 * {@code problem} and {@code solution}, a decision's {@code decision} and lessons), plus its tags. The
 * fields that name the item ({@code type}, {@code technique}, {@code errorType}, {@code question})
 * count twice for the lexical scorer.
 *
 * @param type the type, or {@code null}
 * @param errorType the error type, or {@code null}
 * @param context the flat context (strings, numbers, booleans), unmodifiable
 * @param text the embedded text: every string value, in document order, separated by {@code ". "}
 * @param terms the lexical terms, with the name fields counted twice
 */
public record ItemText(@Nullable String type, @Nullable String errorType, Map<String, Object> context, String text,
        List<String> terms) {

    private static final Set<String> NAME_FIELDS = Set.of("type", "technique", "errorType", "error_type", "question");
    /** Longest embedded text; longer bodies are cut (models truncate anyway). */
    static final int MAX_TEXT = 2_000;

    /**
     * @param item any item
     * @return its text
     */
    public static ItemText of(MemoryItem item) {
        List<String> strings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Object> context = new LinkedHashMap<>();
        String type = null;
        String errorType = null;
        if (item instanceof Pattern p) {
            JsonNode body = p.pattern().tree();
            type = text(body.get("type"));
            collect(body, null, strings, names);
            context(body.get("context"), context);
        } else if (item instanceof Solution s) {
            JsonNode problem = s.problem().tree();
            errorType = text(problem.get("errorType"));
            if (errorType == null) {
                errorType = text(problem.get("error_type"));
            }
            collect(problem, null, strings, names);
            collect(s.solution().tree(), null, strings, names);
            context(problem.get("context"), context);
        } else if (item instanceof Decision d) {
            JsonNode body = d.decision().tree();
            type = text(body.get("type"));
            collect(body, null, strings, names);
            context(body.get("context"), context);
            if (d.outcome() != null) {
                strings.addAll(d.outcome().lessonsLearned());
                strings.addAll(d.outcome().improvements());
            }
        }
        int chars = 0;
        for (String s : strings) {
            chars += s.length() + 2;
        }
        List<String> terms = new ArrayList<>(16 + chars / 4);
        StringBuilder text = new StringBuilder(Math.min(chars, MAX_TEXT + 256));
        for (String s : strings) {
            Tokenizer.tokenize(s, terms);
            if (text.length() < MAX_TEXT) {
                if (text.length() > 0) {
                    text.append(". ");
                }
                text.append(s);
            }
        }
        for (String s : names) {
            Tokenizer.tokenize(s, terms);
        }
        for (String tag : item.tags()) {
            Tokenizer.tokenize(tag, terms);
        }
        String embedded = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text.toString();
        return new ItemText(type, errorType, Collections.unmodifiableMap(context), embedded, List.copyOf(terms));
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    private static void collect(JsonNode node, @Nullable String field, List<String> strings, List<String> names) {
        if (node.isTextual()) {
            strings.add(node.textValue());
            if (field != null && NAME_FIELDS.contains(field)) {
                names.add(node.textValue());
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(e.getValue(), e.getKey(), strings, names);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, null, strings, names);
            }
        }
    }

    private static void context(@Nullable JsonNode node, Map<String, Object> out) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                out.put(e.getKey(), v.textValue());
            } else if (v.isNumber()) {
                out.put(e.getKey(), v.numberValue());
            } else if (v.isBoolean()) {
                out.put(e.getKey(), v.booleanValue());
            }
        }
    }

    /**
     * The situation-side key of a context value for the candidate map: {@code key=value}, the value
     * normalized as {@link ContextScorer} compares it.
     *
     * @param key the key
     * @param value the value
     * @return the normalized pair
     */
    public static String contextKey(String key, Object value) {
        return key + '=' + ContextScorer.normalize(value);
    }
}
