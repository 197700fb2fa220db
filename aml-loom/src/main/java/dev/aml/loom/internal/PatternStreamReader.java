package dev.aml.loom.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.Evolution;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.internal.Json;
import dev.aml.core.internal.RawJsonAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes one Loom pattern object straight from the parser into a {@link Pattern}, with no
 * intermediate tree: this is what makes opening a large tree fast.
 *
 * <h2>Only the plain shape, everything else is declined</h2>
 * The reference for what an element means is the tree path ({@link ItemCodec#fromTree}): take
 * each known field (camelCase first, then snake_case), apply Decision 6 defaults, put whatever is
 * left into {@code extra}, and re-add a timestamp that does not parse at the end of {@code extra}.
 * Reproducing every corner of that in a second implementation would be a second source of truth,
 * so this reader handles only the shape Loom's tools actually write and <em>declines</em>
 * ({@link #read} returns {@code null}) as soon as it sees anything else:
 * <ul>
 *   <li>a known field of an unexpected JSON type (the tree path may report an error or keep the
 *       value verbatim);</li>
 *   <li>both spellings of one field ({@code successRate} and {@code success_rate}), or both
 *       {@code metrics} and {@code performance}, or both {@code evolution} and {@code lifecycle}
 *       (one of each pair is then an extra in its original position);</li>
 *   <li>a timestamp that does not parse (the tree path moves it to the end of {@code extra});</li>
 *   <li>a non-finite number, a number that is not a whole number where one is expected, or a body
 *       that is not an object or {@code null}.</li>
 * </ul>
 * The caller then decodes that one element the tree way, so a declined element costs a second
 * parse of its own bytes, never a different result. Duplicate keys are caught by the parser's
 * strict duplicate detection, which the caller enables, before they could matter.
 *
 * <h2>Values are the tree path's values</h2>
 * Numbers are converted as the tree nodes convert them ({@code IntNode}/{@code LongNode}/
 * {@code BigIntegerNode}/{@code DoubleNode}); unknown fields are read with the very code the
 * element reader uses ({@link ItemCodec#readValue}) and serialized by the same mapper, so their
 * text is identical. The property test {@code LoomJsonStreamingDecodeTest} pins the equality with
 * the tree path over generated elements in every style.
 *
 * <h2>Cheap repeats</h2>
 * Within one file, agent names and tags repeat on nearly every element, and Loom writes the same
 * text into {@code timestamp}, {@code evolution.created} and {@code evolution.lastUsed}. The reader
 * keeps a small cache of short strings (one instance per distinct text, also saving heap), of
 * two-tag lists, and the last parsed timestamp; a hit compares characters and allocates nothing.
 *
 * <h2>Bodies</h2>
 * The free-form body is the largest part of a pattern. The parser skips it (checking syntax), then
 * its bytes are copied without whitespace when that is exactly the compact text the copier would
 * write (see {@link #body}); this reader checks duplicate keys itself, so the parser runs without
 * its per-object name sets.
 *
 * <p>One instance per file read; not thread-safe.
 *
 * <p>Why one class of this size: it is the token-level twin of the tree reader for patterns, kept
 * in one place so that {@code StreamingDecodeEquivalenceTest} and a reader of the code see every
 * field rule side by side; the shared pieces (timestamps, field names) live in
 * {@link LoomTimestamps} and {@link ItemFields}.
 */
final class PatternStreamReader implements java.io.Closeable {

    private static final int ID = 1;
    private static final int AGENT = 1 << 1;
    private static final int TIMESTAMP = 1 << 2;
    private static final int BODY = 1 << 3;
    private static final int METRICS = 1 << 4;
    private static final int EVOLUTION = 1 << 5;
    private static final int TAGS = 1 << 6;
    private static final int ACTIVE = 1 << 7;


    private final byte[] data;
    private final ZoneId zone;
    private ItemCodec.@Nullable CompactCopier copier;
    private final boolean ownsCopier;
    private byte[] compact = new byte[256];
    private int[] levels = new int[8];
    private int[] keyStart = new int[16];
    private int[] keyLength = new int[16];
    private final RepeatedText text;
    private char @Nullable [] lastStamp;
    private int lastStampLength;
    private @Nullable Instant lastInstant;

    /**
     * @param data the whole input the parser reads, from offset 0 (bodies are copied from it)
     * @param zone the zone of naive timestamps
     * @param copier the file's copier of free-form values, or {@code null} to make one if needed
     * @param cacheSize slots of the cache of short strings, a power of two (a few for one item,
     *                  hundreds for a file)
     */
    PatternStreamReader(byte[] data, ZoneId zone, ItemCodec.@Nullable CompactCopier copier, int cacheSize) {
        this.data = data;
        this.zone = zone;
        this.copier = copier;
        this.ownsCopier = copier == null;
        this.text = new RepeatedText(cacheSize);
    }

    @Override
    public void close() throws IOException {
        if (ownsCopier && copier != null) {
            copier.close();
        }
    }

    /**
     * @param p the parser on the element's {@code START_OBJECT}; on return (also when declining)
     *          somewhere inside the element or on its {@code END_OBJECT}
     * @return the pattern, or {@code null} if the element must be read the tree way
     * @throws IOException if the JSON is invalid (the caller falls back to the tree path for the file)
     */
    @Nullable Pattern read(JsonParser p) throws IOException {
        String id = "";
        String agent = "";
        Instant timestamp = null;
        RawJson body = RawJson.emptyObject();
        PatternMetrics metrics = null;
        Evolution evolution = null;
        List<String> tags = List.of();
        boolean active = true;
        ObjectNode extra = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null) {
                return null;
            }
            int bit;
            switch (key) {
                case "id" -> {
                    bit = ID;
                    if (v == JsonToken.VALUE_STRING) {
                        id = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "agent" -> {
                    bit = AGENT;
                    if (v == JsonToken.VALUE_STRING) {
                        agent = cachedString(p);
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "timestamp" -> {
                    bit = TIMESTAMP;
                    if (v == JsonToken.VALUE_STRING) {
                        timestamp = timestamp(p);
                        if (timestamp == null) {
                            return null;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "pattern" -> {
                    bit = BODY;
                    if (v == JsonToken.START_OBJECT) {
                        body = RawJsonAccess.ofCompactTrusted(body(p));
                    } else if (v == JsonToken.VALUE_NULL) {
                        body = RawJson.of(Json.MAPPER.getNodeFactory().nullNode());
                    } else {
                        return null;
                    }
                }
                case "metrics", "performance" -> {
                    bit = METRICS;
                    if ((seen & bit) != 0) {
                        return null; // the other one stays in extra on the tree path
                    }
                    if (v == JsonToken.START_OBJECT) {
                        metrics = metrics(p);
                        if (metrics == null) {
                            return null;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "evolution" -> {
                    bit = EVOLUTION;
                    if ((seen & bit) != 0) {
                        return null;
                    }
                    if (v == JsonToken.START_OBJECT) {
                        evolution = evolution(p, false);
                        if (evolution == null) {
                            return null;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "lifecycle" -> {
                    bit = EVOLUTION;
                    if ((seen & bit) != 0) {
                        return null;
                    }
                    if (v == JsonToken.START_OBJECT) {
                        evolution = evolution(p, true);
                        if (evolution == null) {
                            return null;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "tags" -> {
                    bit = TAGS;
                    if (v == JsonToken.START_ARRAY) {
                        tags = tags(p);
                        if (tags == null) {
                            return null;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "active" -> {
                    bit = ACTIVE;
                    if (v == JsonToken.VALUE_FALSE) {
                        active = false;
                    } else if (v != JsonToken.VALUE_TRUE) {
                        return null; // null, 0/1…: the tree reader keeps it as written (LenientBoolean)
                    }
                }
                default -> {
                    bit = 0;
                    if (extra == null) {
                        extra = Json.MAPPER.getNodeFactory().objectNode();
                    } else if (extra.has(key)) {
                        return null; // a duplicate key
                    }
                    extra.set(key, v == JsonToken.START_OBJECT && !ItemCodec.isStructured(key)
                            ? ItemCodec.rawValue(body(p)) // what readValue holds, with duplicate keys checked
                            : ItemCodec.readOtherValue(p, v));
                }
            }
            if ((seen & bit) != 0) {
                return null; // a duplicate key, or both spellings of one field
            }
            seen |= bit;
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            return null;
        }
        if (metrics == null) {
            metrics = new PatternMetrics(1.0, 0, 0, 0, RawJson.emptyObject());
        }
        if (evolution == null) {
            evolution = new Evolution(null, null, 0, 1.0, RawJson.emptyObject());
        }
        return new Pattern(id, agent, timestamp, body, metrics, evolution, tags, active, rest(extra));
    }

    /**
     * The object value the parser is on as compact text, exactly as {@link ItemCodec.CompactCopier}
     * writes it, and refused (an exception, so the file is read the tree way) if any of its objects
     * repeats a key, since a tree keeps only the last value. The parser skips the value (checking
     * its syntax); its bytes are then copied without the whitespace between tokens when the copier
     * would write them unchanged: ASCII strings and names without escapes, integers other than
     * {@code -0}, literals. Anything else (an escape, a non-ASCII character, a fraction or exponent,
     * which the copier normalizes) is copied by the copier from a parser over the value's bytes.
     *
     * @param p the parser on the value's {@code START_OBJECT}; left on its {@code END_OBJECT}
     * @throws IOException if the JSON is invalid or repeats a key
     */
    private String body(JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        String text = minified(start, end);
        if (text != null) {
            return text;
        }
        try (JsonParser value = Json.MAPPER.getFactory().createParser(data, start, end - start)) {
            value.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            value.nextToken();
            ItemCodec.CompactCopier c = copier;
            if (c == null) {
                c = new ItemCodec.CompactCopier();
                copier = c;
            }
            return c.copy(value);
        }
    }

    /**
     * @return the bytes without whitespace outside strings, or {@code null} if they would need
     *         normalizing or an object repeats a key (the caller then copies with the parser, which
     *         reports the repeat)
     */
    private @Nullable String minified(int start, int end) {
        if (end - start > compact.length) {
            compact = new byte[Math.max(end - start, compact.length * 2)];
        }
        byte[] in = data;
        byte[] out = compact;
        int n = 0;
        int depth = 0;
        int keys = 0;
        int stringStart = 0;
        for (int i = start; i < end; i++) {
            byte b = in[i];
            if (b == '"') {
                // a string: copied up to its closing quote; escapes, control and non-ASCII (negative) bytes refused
                int j = i + 1;
                byte c;
                while ((c = in[j]) != '"') {
                    if (c == '\\' || c < 0x20 || c == 0x7f) {
                        return null;
                    }
                    j++;
                }
                stringStart = n;
                int length = j + 1 - i;
                System.arraycopy(in, i, out, n, length);
                n += length;
                i = j;
                continue;
            }
            if (b <= ' ') {
                continue; // whitespace (the parser let nothing else below a space through)
            }
            switch (b) {
                case '{', '[' -> {
                    if (depth == levels.length) {
                        levels = java.util.Arrays.copyOf(levels, depth * 2);
                    }
                    levels[depth++] = keys;
                }
                case '}', ']' -> keys = levels[--depth];
                case ':' -> {
                    // the string just written is a key: compare it with the object's earlier keys
                    int length = n - stringStart;
                    for (int k = levels[depth - 1]; k < keys; k++) {
                        if (keyLength[k] == length
                                && java.util.Arrays.equals(out, keyStart[k], keyStart[k] + length, out, stringStart, n)) {
                            return null;
                        }
                    }
                    if (keys == keyStart.length) {
                        keyStart = java.util.Arrays.copyOf(keyStart, keys * 2);
                        keyLength = java.util.Arrays.copyOf(keyLength, keys * 2);
                    }
                    keyStart[keys] = stringStart;
                    keyLength[keys++] = length;
                }
                case '.', 'E' -> {
                    return null; // a fraction or exponent: the copier writes the parsed number
                }
                case 'e' -> {
                    if (i + 1 < end && isExponentStart(in[i + 1])) {
                        return null;
                    }
                }
                case '-' -> {
                    if (i + 1 < end && in[i + 1] == '0') {
                        return null; // -0 or -0.x: the copier writes 0 or the parsed number
                    }
                }
                default -> {
                }
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** {@code e} followed by this is an exponent ({@code true}/{@code false} end in an {@code e} too). */
    private static boolean isExponentStart(byte b) {
        return b >= '0' && b <= '9' || b == '+' || b == '-';
    }

    private static final int SUCCESS_RATE = 1;
    private static final int EXECUTION_COUNT = 1 << 1;
    private static final int AVG_TIME_SAVED = 1 << 2;
    private static final int ERROR_PREVENTION = 1 << 3;

    /** {@code metrics} or {@code performance}: the parser is on its {@code START_OBJECT}. */
    private @Nullable PatternMetrics metrics(JsonParser p) throws IOException {
        double successRate = 1.0;
        long executionCount = 0;
        double avgTimeSaved = 0;
        long errorPrevention = 0;
        ObjectNode extra = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            int bit;
            switch (key) {
                case "successRate", "success_rate" -> {
                    bit = SUCCESS_RATE;
                    if (v != JsonToken.VALUE_NULL) {
                        successRate = number(p, v);
                    }
                }
                case "executionCount", "execution_count" -> {
                    bit = EXECUTION_COUNT;
                    if (v != JsonToken.VALUE_NULL) {
                        executionCount = integer(p, v);
                    }
                }
                case "avgTimeSavedMs", "avg_time_saved_ms" -> {
                    bit = AVG_TIME_SAVED;
                    if (v != JsonToken.VALUE_NULL) {
                        avgTimeSaved = number(p, v);
                    }
                }
                case "errorPreventionCount", "error_prevention_count" -> {
                    bit = ERROR_PREVENTION;
                    if (v != JsonToken.VALUE_NULL) {
                        errorPrevention = integer(p, v);
                    }
                }
                default -> {
                    bit = 0;
                    extra = withTreeValue(extra, key, p);
                    if (extra == null) {
                        return null;
                    }
                }
            }
            if ((seen & bit) != 0 || Double.isNaN(successRate) || Double.isNaN(avgTimeSaved)
                    || executionCount == Long.MIN_VALUE || errorPrevention == Long.MIN_VALUE) {
                return null; // both spellings, or a value the tree path would refuse
            }
            seen |= bit;
        }
        return new PatternMetrics(successRate, executionCount, avgTimeSaved, errorPrevention, rest(extra));
    }

    private static final int CREATED = 1;
    private static final int LAST_USED = 1 << 1;
    private static final int REFINEMENTS = 1 << 2;
    private static final int CONFIDENCE = 1 << 3;

    /** {@code evolution}, or the 2.0.0 {@code lifecycle}: the parser is on its {@code START_OBJECT}. */
    private @Nullable Evolution evolution(JsonParser p, boolean lifecycle) throws IOException {
        Instant created = null;
        Instant lastUsed = null;
        long refinements = 0;
        double confidence = 1.0;
        ObjectNode extra = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            int bit = evolutionField(key, lifecycle);
            if (bit == 0) {
                extra = withTreeValue(extra, key, p);
                if (extra == null) {
                    return null;
                }
                continue;
            }
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            if (v == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (bit) {
                case CREATED, LAST_USED -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    Instant at = timestamp(p);
                    if (at == null) {
                        return null;
                    }
                    if (bit == CREATED) {
                        created = at;
                    } else {
                        lastUsed = at;
                    }
                }
                case REFINEMENTS -> {
                    refinements = integer(p, v);
                    if (refinements == Long.MIN_VALUE) {
                        return null;
                    }
                }
                default -> {
                    confidence = number(p, v);
                    if (Double.isNaN(confidence)) {
                        return null;
                    }
                }
            }
        }
        return new Evolution(created, lastUsed, refinements, confidence, rest(extra));
    }

    private static int evolutionField(String key, boolean lifecycle) {
        if (lifecycle) {
            return switch (key) {
                case "createdAt", "created_at" -> CREATED;
                case "lastUsedAt", "last_used_at" -> LAST_USED;
                case "refinementCount", "refinement_count" -> REFINEMENTS;
                case "confidence" -> CONFIDENCE;
                default -> 0;
            };
        }
        return switch (key) {
            case "created" -> CREATED;
            case "lastUsed", "last_used" -> LAST_USED;
            case "refinements" -> REFINEMENTS;
            case "confidenceScore", "confidence_score" -> CONFIDENCE;
            default -> 0;
        };
    }

    /** @return the tags, or {@code null} if an element is not a string */
    private @Nullable List<String> tags(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return List.of();
        }
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        String first = cachedString(p);
        t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return List.of(first);
        }
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        String second = cachedString(p);
        t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return text.pair(first, second);
        }
        List<String> more = new ArrayList<>(6);
        more.add(first);
        more.add(second);
        for (; t == JsonToken.VALUE_STRING; t = p.nextToken()) {
            more.add(cachedString(p));
        }
        return t == JsonToken.END_ARRAY ? List.copyOf(more) : null;
    }

    /**
     * A number as the tree path reads it ({@code JsonNode.doubleValue()} of the node the tree reader
     * builds), or NaN if the tree path would refuse it (not a number, or not finite).
     */
    private static double number(JsonParser p, JsonToken v) throws IOException {
        double d;
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDoubleValue();
        } else if (v == JsonToken.VALUE_NUMBER_INT) {
            d = switch (p.getNumberType()) {
                case INT -> p.getIntValue();
                case LONG -> (double) p.getLongValue();
                default -> p.getBigIntegerValue().doubleValue();
            };
        } else {
            return Double.NaN;
        }
        return Double.isFinite(d) ? d : Double.NaN;
    }

    /**
     * A whole number as the tree path reads it (a long, or an integral double below 2^53), or
     * {@link Long#MIN_VALUE} if the tree path would refuse it (or it is {@code Long.MIN_VALUE}
     * itself, which the tree path accepts but is then declined here, harmlessly).
     */
    private static long integer(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return switch (p.getNumberType()) {
                case INT -> p.getIntValue();
                case LONG -> p.getLongValue();
                default -> Long.MIN_VALUE; // beyond a long: the tree path refuses it
            };
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Inside metrics/evolution the tree path holds the whole object as a tree: read the value as one. */
    private static @Nullable ObjectNode withTreeValue(@Nullable ObjectNode extra, String key, JsonParser p)
            throws IOException {
        ObjectNode node = extra != null ? extra : Json.MAPPER.getNodeFactory().objectNode();
        if (node.has(key)) {
            return null; // a duplicate key
        }
        JsonNode value = ItemCodec.readTree(p); // a tree keeps the last of duplicate keys inside, as the tree path
        node.set(key, value);
        return node;
    }

    private static RawJson rest(@Nullable ObjectNode extra) {
        return extra == null || extra.isEmpty() ? RawJson.emptyObject() : RawJson.of(extra);
    }

    /** @return the timestamp the current string token holds, or {@code null} if it does not parse */
    private @Nullable Instant timestamp(JsonParser p) throws IOException {
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        char[] last = lastStamp;
        if (last != null && len == lastStampLength && java.util.Arrays.equals(buf, off, off + len, last, 0, len)) {
            return lastInstant;
        }
        // the common shapes straight from the parser's buffer; anything else through the full parser
        Instant at = LoomTimestamps.parseCommon(buf, off, len, zone);
        if (at == null) {
            at = LoomTimestamps.parseIsoTimestamp(new String(buf, off, len), zone);
        }
        if (at != null) {
            if (last == null || last.length < len) {
                last = new char[Math.max(len, 32)];
                lastStamp = last;
            }
            System.arraycopy(buf, off, last, 0, len);
            lastStampLength = len;
            lastInstant = at;
        }
        return at;
    }
    /** @return the current string token, one shared instance per distinct short text of the file */
    private String cachedString(JsonParser p) throws IOException {
        return text.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
}
