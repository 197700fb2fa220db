package dev.aml.core.relevance;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an agent faces right now, the question a relevance query answers: which patterns, solutions
 * and decisions apply here? Every part is optional, but a situation needs at least one.
 *
 * <pre>{@code
 * Situation s = Situation.builder()
 *         .type("api-call")
 *         .context(Map.of("protocol", "http", "service", "payments"))
 *         .text("upstream answers 503 under load, retries make it worse")
 *         .error("java.net.SocketTimeoutException", "Read timed out")
 *         .build();
 * }</pre>
 *
 * @param type the task or decision type ({@code pattern.type}, {@code decision.type} in Loom), matched
 *     fuzzily; {@code null} when unknown
 * @param context the context, flat keys to strings, numbers or booleans (Loom's {@code context}),
 *     in insertion order; empty when unknown
 * @param text free text describing the situation; {@code null} when none
 * @param tags tags that describe the situation (soft: they raise relevance, unlike the hard tag
 *     filter of {@link dev.aml.core.MemoryQuery}); empty when none
 * @param errorType an error or exception type, e.g. {@code java.net.SocketTimeoutException};
 *     {@code null} when there is no error
 * @param errorMessage the error message; {@code null} when there is no error
 */
public record Situation(@Nullable String type, Map<String, Object> context, @Nullable String text, Set<String> tags,
        @Nullable String errorType, @Nullable String errorMessage) {

    /**
     * Validates and copies: blank strings become {@code null}, the context and tags are copied
     * (unmodifiable, order kept).
     *
     * @throws IllegalArgumentException if nothing at all is given, or a context value is not a
     *     string, number or boolean
     */
    public Situation {
        type = blankToNull(type);
        text = blankToNull(text);
        errorType = blankToNull(errorType);
        errorMessage = blankToNull(errorMessage);
        Map<String, Object> ctx = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Objects.requireNonNull(context, "context").entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "context key");
            Object value = e.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new IllegalArgumentException("context value of '" + key + "' must be a string, number or"
                        + " boolean (Loom's flat context), was " + (value == null ? "null" : value.getClass()
                        .getName()));
            }
            ctx.put(key, value);
        }
        context = Collections.unmodifiableMap(ctx);
        Set<String> t = new LinkedHashSet<>();
        for (String tag : Objects.requireNonNull(tags, "tags")) {
            String v = blankToNull(Objects.requireNonNull(tag, "tag"));
            if (v != null) {
                t.add(v);
            }
        }
        tags = Collections.unmodifiableSet(t);
        if (type == null && context.isEmpty() && text == null && tags.isEmpty() && errorType == null
                && errorMessage == null) {
            throw new IllegalArgumentException("a situation needs at least one of type, context, text, tags,"
                    + " errorType or errorMessage");
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param text free text describing the situation
     * @return a situation with only that text
     */
    public static Situation ofText(String text) {
        return builder().text(text).build();
    }

    /**
     * @param errorType the error or exception type
     * @param errorMessage the message, may be {@code null}
     * @return a situation with only that error
     */
    public static Situation ofError(String errorType, @Nullable String errorMessage) {
        return builder().error(errorType, errorMessage).build();
    }

    /** @return whether the situation names an error (a type or a message) */
    public boolean hasError() {
        return errorType != null || errorMessage != null;
    }

    /**
     * Builds a {@link Situation}. Each option may be set once (a second call throws
     * {@link IllegalStateException} naming the value already set).
     */
    public static final class Builder {
        private @Nullable String type;
        private @Nullable Map<String, Object> context;
        private @Nullable String text;
        private @Nullable Set<String> tags;
        private @Nullable String errorType;
        private @Nullable String errorMessage;
        private boolean errorSet;

        private Builder() {
        }

        private static void requireUnset(@Nullable Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        /**
         * @param newType the task or decision type
         * @return this builder
         */
        public Builder type(String newType) {
            requireUnset(type, "type");
            type = Objects.requireNonNull(newType, "type");
            return this;
        }

        /**
         * @param newContext flat keys to strings, numbers or booleans
         * @return this builder
         */
        public Builder context(Map<String, ?> newContext) {
            requireUnset(context, "context");
            context = new LinkedHashMap<>(Objects.requireNonNull(newContext, "context"));
            return this;
        }

        /**
         * @param newText free text describing the situation
         * @return this builder
         */
        public Builder text(String newText) {
            requireUnset(text, "text");
            text = Objects.requireNonNull(newText, "text");
            return this;
        }

        /**
         * @param newTags tags that describe the situation
         * @return this builder
         */
        public Builder tags(String... newTags) {
            return tags(Arrays.asList(newTags));
        }

        /**
         * @param newTags tags that describe the situation
         * @return this builder
         */
        public Builder tags(Collection<String> newTags) {
            requireUnset(tags, "tags");
            tags = new LinkedHashSet<>(newTags);
            return this;
        }

        /**
         * @param newErrorType the error or exception type, may be {@code null} when only the message is known
         * @param newErrorMessage the message, may be {@code null}
         * @return this builder
         */
        public Builder error(@Nullable String newErrorType, @Nullable String newErrorMessage) {
            if (errorSet) {
                throw new IllegalStateException("error was already set to " + errorType + ": " + errorMessage);
            }
            errorSet = true;
            errorType = newErrorType;
            errorMessage = newErrorMessage;
            return this;
        }

        /**
         * @return the situation
         * @throws IllegalArgumentException if nothing is set or a context value is not flat
         */
        public Situation build() {
            return new Situation(type, context == null ? Map.of() : context, text, tags == null ? Set.of() : tags,
                    errorType, errorMessage);
        }
    }
}
