package dev.aml.loom.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.aml.core.CorruptDataException;
import dev.aml.core.CorruptDataException.PositionKind;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.core.internal.Json;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.TimestampStyle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps Loom item JSON to the model records and back.
 *
 * <h2>Reading</h2>
 * Tolerant of every shape Loom's tools write: camelCase or snake_case for every field, naive or
 * zone-aware timestamps, gzip or LZ4 bytes (detected by magic bytes), the 2.0.0 pattern shape
 * ({@code performance}/{@code lifecycle}), missing fields (LOOM-FORMAT Decision 6 defaults). Strict
 * about what it cannot represent faithfully: a value of the wrong type is an error naming the
 * element and field, never a silent default. Fields it does not model go to the record's
 * {@code extra} (top level and inside metrics/evolution/effectiveness/outcome); a timestamp that does
 * not parse stays in {@code extra} under its key as written, and the typed field is {@code null} A
 * timestamp in a form only Python's {@code fromisoformat} reads ({@code 2026-01-02 03:04:05},
 * {@code 2026-01-02}; see {@link PythonIsoTimestamps}) fills the typed field and also stays in
 * {@code extra}, so an unchanged item is written back with the same text; so does a non-boolean
 * {@code active}/{@code worked}/{@code wouldRepeat} ({@link LenientBoolean}).
 *
 * <h2>Three readers, one result</h2>
 * The reference is the tree reader ({@link #readArrayAsTrees}: each element a Jackson tree, then
 * {@link #fromTree}); it alone reports damage. Opening a large tree must not pay for trees, so a
 * file is first offered to faster readers that decline whatever they are not sure about:
 * {@link ItemFileScanner} (plain files of each kind, bytes only, no JSON library), then the streaming
 * reader ({@link #readArrayFast}: Jackson tokens, {@link PatternStreamReader} for patterns, free-form
 * values copied as text, an unusual element read the tree way from its own bytes). A decline costs
 * a second reading, never a different item or error; {@code StreamingDecodeEquivalenceTest} checks
 * every reader against the tree reader on generated, odd and damaged files.
 *
 * <h2>Writing, field names, timestamps</h2>
 * Delegated along the codec's seams: {@link ItemWriter} writes the camelCase shapes of Loom's
 * TypeScript runtime, {@link ItemFields} takes fields out of an object by their camelCase or
 * snake_case names, {@link LoomTimestamps} reads and writes timestamps. This class is the reading
 * side and the one entry point {@code LoomJson} and the journal use.
 *
 * <p>Immutable and thread-safe.
 */
public final class ItemCodec {

    /** Reads one element of an array from a shared parser (the array's other tokens follow it). */
    private static final ObjectReader ELEMENT_READER =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Top-level fields whose object values are decoded as trees (their fields are typed); every
     * other object value is copied as compact text and never becomes a tree.
     */
    private static final Set<String> STRUCTURED = Set.of("metrics", "performance", "evolution", "lifecycle",
            "effectiveness", "outcome");

    private final TimestampStyle style;
    private final ZoneId zone;
    private final ItemWriter writer;

    /**
     * @param style how to write timestamps
     * @param zone the zone of naive timestamps, read and written
     */
    public ItemCodec(TimestampStyle style, ZoneId zone) {
        this.style = Objects.requireNonNull(style, "style");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.writer = new ItemWriter(style, zone);
    }

    /** @return the timestamp style */
    public TimestampStyle style() {
        return style;
    }

    /** @return the zone of naive timestamps */
    public ZoneId zone() {
        return zone;
    }

    // ------------------------------------------------------------------------------------------ reading

    /**
     * Reads an item file's bytes: decompresses them if they start with a known codec's magic bytes,
     * then parses a JSON array of {@code kind} items.
     *
     * @param data the file's bytes
     * @param kind the kind of every element
     * @param file the file, for the exception, if known
     * @param source how to name the data in messages
     * @return the items in order
     * @throws CorruptDataException if the data is not a valid array of such items
     */
    public List<MemoryItem> readArray(byte[] data, ItemKind kind, @Nullable Path file, String source) {
        CompressionCodec codec = CompressionCodec.detect(data);
        byte[] plain = data;
        if (codec != CompressionCodec.none()) {
            try {
                plain = codec.decompress(data);
            } catch (CorruptDataException e) {
                throw new CorruptDataException(source + " holds " + codec.name() + " data that is truncated or damaged ("
                        + e.getMessage() + ") " + hint(), file, e.position(), e.positionKind(), e);
            }
        }
        if (plain.length == 0) {
            throw new CorruptDataException(source + " is empty (0 bytes), not a JSON array " + hint(), file, 0,
                    PositionKind.BYTE_OFFSET, null);
        }
        List<MemoryItem> fast = scanner(plain, kind, 512).read();
        if (fast == null) {
            fast = readArrayFast(plain, kind);
        }
        return fast != null ? fast : readArrayAsTrees(plain, kind, file, source);
    }

    /**
     * The fast path of {@link #readArray}: streams the array, copying free-form values as compact
     * text (see {@link #readElement}). It gives up on anything unusual — invalid JSON, a duplicate
     * key at any depth (a tree keeps the last value, a copy would keep both), a wrong type, any
     * other shape than an array of objects — and the caller then reads the data the tree way, which
     * yields exactly the items or the error (message, file, offset) it always did.
     *
     * @return the items, or {@code null} to read the data as trees
     */
    @Nullable List<MemoryItem> readArrayFast(byte[] plain, ItemKind kind) {
        List<MemoryItem> items = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(plain);
                CompactCopier copier = new CompactCopier()) {
            if (kind != ItemKind.PATTERN) {
                // the pattern reader finds duplicate keys itself, without a set of names per object
                p.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            }
            // correctly rounded like Double.parseDouble (the same values), much faster on 17-digit doubles
            p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            JsonStreamContext array = p.getParsingContext();
            PatternStreamReader patterns = kind == ItemKind.PATTERN ? new PatternStreamReader(plain, zone, copier, 512) : null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    return null;
                }
                if (patterns == null) {
                    items.add(fromTree(readElement(p, copier), kind));
                    continue;
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                MemoryItem item = patterns.read(p);
                if (item == null) {
                    // an unusual element: skip to its end, then read just its bytes the tree way
                    while (p.getParsingContext() != array) {
                        if (p.nextToken() == null) {
                            return null;
                        }
                    }
                    int end = (int) p.currentLocation().getByteOffset();
                    try (JsonParser element = Json.MAPPER.getFactory().createParser(plain, start, end - start)) {
                        element.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
                        element.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
                        if (element.nextToken() != JsonToken.START_OBJECT) {
                            return null;
                        }
                        item = fromTree(readElement(element, copier), kind);
                        if (element.nextToken() != null) {
                            return null;
                        }
                    }
                }
                items.add(item);
            }
            return p.nextToken() == null ? items : null;
        } catch (IOException | RuntimeException e) { // ShapeException, or whatever the tree path reports too
            return null; // read again as trees, which reports the damage exactly as before
        }
    }

    /**
     * The reference reader: every element as a Jackson tree, then {@link #fromTree}. Reports damage
     * with file and offset or element index. Package-private so tests can pin the fast path to it.
     */
    List<MemoryItem> readArrayAsTrees(byte[] plain, ItemKind kind, @Nullable Path file, String source) {
        List<MemoryItem> items = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(plain)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new CorruptDataException(source + " holds a JSON " + describe(first)
                        + " at the top level, not an array of " + kind.label() + "s " + hint(), file,
                        p.currentTokenLocation().getByteOffset(), PositionKind.BYTE_OFFSET, null);
            }
            int index = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
                if (t == null) {
                    throw new CorruptDataException(source + " ends before its array is closed (truncated?) "
                            + hint(), file, plain.length, PositionKind.BYTE_OFFSET, null);
                }
                long offset = p.currentTokenLocation().getByteOffset();
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    throw new CorruptDataException(source + ": element " + index + " (byte " + offset + ") is a JSON "
                            + describe(t) + ", not a " + kind.label() + " object " + hint(), file, index,
                            PositionKind.ELEMENT_INDEX, null);
                }
                ObjectNode node = (ObjectNode) ELEMENT_READER.readTree(p);
                try {
                    items.add(fromTree(node, kind));
                } catch (ShapeException e) {
                    throw new CorruptDataException(source + ": element " + index + " (byte " + offset + "): "
                            + e.getMessage() + " " + hint(), file, index, PositionKind.ELEMENT_INDEX, null);
                }
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new CorruptDataException(source + " has content after its array at byte "
                        + p.currentTokenLocation().getByteOffset() + " " + hint(), file,
                        p.currentTokenLocation().getByteOffset(), PositionKind.BYTE_OFFSET, null);
            }
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new CorruptDataException(source + " is not valid JSON" + (offset >= 0 ? " at byte " + offset : "")
                    + ": " + e.getOriginalMessage() + " " + hint(), file, offset, PositionKind.BYTE_OFFSET, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + source + " failed", e);
        }
        return items;
    }

    /**
     * Reads one array element (the parser is on its {@code START_OBJECT}) into an object node the
     * {@link Fields} helper can take fields from. Equivalent to reading the element as a Jackson tree,
     * but cheaper: object values of free-form fields (bodies, unknown fields) are copied token by
     * token into compact text, held as a {@link RawValue}, and become {@link RawJson} without being
     * built as a tree, serialized and parsed again. The text is what {@link RawJson#of(JsonNode)} would
     * have produced (same generator, same number and string handling), and a duplicate key replaces
     * the earlier value in its place, as a tree would. Syntax errors surface from the parser with
     * their byte offset, exactly as before.
     *
     * @param p the parser, on the element's {@code START_OBJECT}; left on its {@code END_OBJECT}
     * @return the element's fields
     * @throws IOException if the JSON is invalid
     */
    private static ObjectNode readElement(JsonParser p, CompactCopier copier) throws IOException {
        ObjectNode node = Json.MAPPER.getNodeFactory().objectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null) {
                break; // the parser reports truncation itself; kept for safety
            }
            node.set(key, readValue(p, key, v, copier));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "Unexpected end-of-input inside an array element (truncated?)");
        }
        return node;
    }

    /**
     * Reads the value of one field of an element as the element reader holds it: scalars as nodes,
     * objects of free-form fields as compact text, the rest as trees.
     *
     * @param p the parser, on the value's first token; left on its last token
     * @param key the field's name
     * @param v the value's first token
     * @param copier the file's copier
     * @return the value
     * @throws IOException if the JSON is invalid
     */
    static JsonNode readValue(JsonParser p, String key, JsonToken v, CompactCopier copier) throws IOException {
        return v == JsonToken.START_OBJECT && !STRUCTURED.contains(key)
                ? rawValue(copier.copy(p))
                : readOtherValue(p, v);
    }

    /**
     * {@link #readValue} of every value except the object of a free-form field.
     *
     * @param p the parser, on the value's first token; left on its last token
     * @param v the value's first token
     * @return the value as a node
     * @throws IOException if the JSON is invalid
     */
    static JsonNode readOtherValue(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> ELEMENT_READER.readTree(p); // numbers, arrays, structured objects: the tree reader's nodes
        };
    }

    /**
     * @param key a top-level field name
     * @return whether {@link #readValue} reads an object value of that field as a tree
     */
    static boolean isStructured(String key) {
        return STRUCTURED.contains(key);
    }

    /**
     * @param compact an object as compact text (what {@link CompactCopier#copy} returns)
     * @return the node {@link #readValue} holds for it
     */
    static JsonNode rawValue(String compact) {
        return new POJONode(new RawValue(compact));
    }

    /**
     * @param p the parser, on a value's first token; left on its last token
     * @return the value as the tree reader builds it
     * @throws IOException if the JSON is invalid
     */
    static JsonNode readTree(JsonParser p) throws IOException {
        return ELEMENT_READER.readTree(p);
    }

    /**
     * Copies one JSON value at a time from a parser to compact text, with one generator of
     * {@link Json#MAPPER} (so the text is what {@link RawJson#of(JsonNode)} writes) reused for every
     * value of a file. Not thread-safe; one per {@link #readArray} call.
     */
    static final class CompactCopier implements java.io.Closeable {
        private final StringBuilder text = new StringBuilder(256);
        private final JsonGenerator g;

        CompactCopier() throws IOException {
            g = Json.MAPPER.getFactory().createGenerator(new java.io.Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) {
                    text.append(cbuf, off, len);
                }

                @Override
                public void write(String str, int off, int len) {
                    text.append(str, off, off + len);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            g.setRootValueSeparator(null); // values are taken one at a time, nothing between them
        }

        /**
         * @param p a parser on the first token of a value; left on its last token
         * @return the value as compact JSON text
         * @throws IOException if the JSON is invalid
         */
        String copy(JsonParser p) throws IOException {
            text.setLength(0);
            g.copyCurrentStructure(p);
            g.flush();
            return text.toString();
        }

        @Override
        public void close() throws IOException {
            g.close();
        }
    }

    /**
     * @param json one item as a JSON object (UTF-8)
     * @param kind its kind
     * @param source how to name the data in messages
     * @return the item
     * @throws CorruptDataException if it is not valid JSON or not a valid item
     */
    public MemoryItem readItem(byte[] json, ItemKind kind, String source) {
        MemoryItem fast = scanner(json, kind, 8).readOne();
        if (fast == null && kind == ItemKind.PATTERN) {
            fast = readPatternFast(json);
        }
        return fast != null ? fast : readItemAsTree(json, kind, source);
    }

    /**
     * @param plain the bytes
     * @param kind the kind of their items
     * @param cacheSize slots of the scanner's cache of repeated text: hundreds for a file, a few for one item
     * @return the byte scanner of that kind, the first reader tried
     */
    ItemFileScanner scanner(byte[] plain, ItemKind kind, int cacheSize) {
        return switch (kind) {
            case PATTERN -> new PatternFileScanner(plain, zone, cacheSize);
            case SOLUTION -> new SolutionFileScanner(plain, zone, cacheSize);
            case DECISION -> new DecisionFileScanner(plain, zone, cacheSize);
        };
    }

    /**
     * One pattern straight from the parser (journal replay decodes one per entry), like
     * {@link #readArrayFast}: anything unusual or damaged returns {@code null}, and the caller reads
     * the item the tree way, which gives exactly the item or the error it always did.
     */
    private @Nullable MemoryItem readPatternFast(byte[] json) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json);
                PatternStreamReader reader = new PatternStreamReader(json, zone, null, 8)) {
            p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            MemoryItem item = reader.read(p);
            return item != null && p.nextToken() == null ? item : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The reference reader of one item: a Jackson tree, then {@link #fromTree}. */
    MemoryItem readItemAsTree(byte[] json, ItemKind kind, String source) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new CorruptDataException(source + " is not valid JSON" + (offset >= 0 ? " at byte " + offset : "")
                    + ": " + e.getOriginalMessage(), null, offset, PositionKind.BYTE_OFFSET, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new CorruptDataException(source + " is a JSON " + (node == null ? "nothing" : node.getNodeType())
                    + ", not a " + kind.label() + " object");
        }
        try {
            return fromTree(obj, kind);
        } catch (ShapeException e) {
            throw new CorruptDataException(source + ": " + e.getMessage());
        }
    }

    /**
     * @param node a JSON object; it is consumed (fields are removed)
     * @param kind the kind
     * @return the record
     * @throws ShapeException if a field has the wrong type
     */
    MemoryItem fromTree(ObjectNode node, ItemKind kind) {
        ItemFields f = new ItemFields(node, "", zone);
        String id = f.string("id", "");
        String agent = f.string("agent", "");
        f.itemIs(agent.isEmpty() ? id : agent + "/" + id);
        Instant timestamp = f.timestamp("timestamp");
        MemoryItem item = switch (kind) {
            case PATTERN -> pattern(f, id, agent, timestamp);
            case SOLUTION -> solution(f, id, agent, timestamp);
            case DECISION -> decision(f, id, agent, timestamp);
        };
        return item;
    }

    private Pattern pattern(ItemFields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson body = f.raw("pattern");
        PatternMetrics metrics;
        Evolution evolution;
        ItemFields m = f.object("metrics");
        if (m == null) {
            m = f.object("performance");
        }
        metrics = m == null
                ? new PatternMetrics(1.0, 0, 0, 0, RawJson.emptyObject())
                : new PatternMetrics(m.number("successRate", 1.0), m.integer("executionCount", 0),
                        m.number("avgTimeSavedMs", 0), m.integer("errorPreventionCount", 0), m.rest());
        ItemFields e = f.object("evolution");
        if (e != null) {
            evolution = new Evolution(e.timestamp("created"), e.timestamp("lastUsed"), e.integer("refinements", 0),
                    e.number("confidenceScore", 1.0), e.rest());
        } else {
            ItemFields l = f.object("lifecycle");
            evolution = l == null
                    ? new Evolution(null, null, 0, 1.0, RawJson.emptyObject())
                    : new Evolution(l.timestamp("createdAt"), l.timestamp("lastUsedAt"),
                            l.integer("refinementCount", 0), l.number("confidence", 1.0), l.rest());
        }
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        return new Pattern(id, agent, timestamp, body, metrics, evolution, tags, active, f.rest());
    }

    private Solution solution(ItemFields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson problem = f.raw("problem");
        RawJson fix = f.raw("solution");
        ItemFields e = f.object("effectiveness");
        Effectiveness effectiveness = e == null
                ? new Effectiveness(true, 0, 0, 0, RawJson.emptyObject())
                : new Effectiveness(e.bool("worked", true), e.number("timeToFixMinutes", 0),
                        e.integer("preventedRecurrence", 0), e.integer("relatedErrorsFixed", 0), e.rest());
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        long verified = f.integer("verifiedCount", 0);
        return new Solution(id, agent, timestamp, problem, fix, effectiveness, tags, active, verified, f.rest());
    }

    private Decision decision(ItemFields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson body = f.raw("decision");
        ItemFields o = f.object("outcome");
        DecisionOutcome outcome = null;
        if (o != null) {
            ItemFields metrics = o.object("successMetrics");
            outcome = new DecisionOutcome(metrics == null ? RawJson.emptyObject() : metrics.all(),
                    o.strings("lessonsLearned"), o.bool("wouldRepeat", true), o.strings("improvements"), o.rest());
        }
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        Instant reviewedAt = f.timestamp("reviewedAt");
        return new Decision(id, agent, timestamp, body, outcome, tags, active, reviewedAt, f.rest());
    }

    private static String hint() {
        return "; the file was left untouched. Repair it (e.g. with jq) or restore it from a backup.";
    }

    private static String describe(@Nullable JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    // ------------------------------------------------------------------------------------------ writing

    /**
     * @param instant an instant
     * @return it in this codec's style, lossless (extra fraction digits only when needed)
     */
    public String formatTimestamp(Instant instant) {
        return writer.formatTimestamp(instant);
    }

    /**
     * Writes items as a Loom item file: a JSON array, 2-space indent, UTF-8, no trailing newline.
     *
     * @param items the items
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public void writeArray(List<? extends MemoryItem> items, OutputStream out) throws IOException {
        writer.writeArray(items, out);
    }

    /**
     * @param items the items
     * @return the file bytes
     */
    public byte[] writeArray(List<? extends MemoryItem> items) {
        return writer.writeArray(items);
    }

    /**
     * @param item an item
     * @return the item as compact UTF-8 JSON
     */
    public byte[] writeItem(MemoryItem item) {
        return writer.writeItem(item);
    }

    /**
     * Writes one item object to a generator.
     *
     * @param item the item
     * @param g the generator
     * @param pretty whether the generator pretty-prints (raw values are then re-indented)
     * @throws IOException if writing fails
     */
    public void write(MemoryItem item, JsonGenerator g, boolean pretty) throws IOException {
        writer.write(item, g, pretty);
    }

}
