package dev.aml.store.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
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
import dev.aml.core.internal.RawJsonAccess;
import dev.aml.store.CompressionCodec;
import dev.aml.store.TimestampStyle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * not parse stays in {@code extra} under its key as written, and the typed field is {@code null}. A
 * timestamp in a form only Python's {@code fromisoformat} reads ({@code 2026-01-02 03:04:05},
 * {@code 2026-01-02}; see {@link PythonIsoTimestamps}) fills the typed field and also stays in
 * {@code extra}, so an unchanged item is written back with the same text.
 *
 * <h2>Three readers, one result</h2>
 * The reference is the tree reader ({@link #readArrayAsTrees}: each element a Jackson tree, then
 * {@link #fromTree}); it alone reports damage. Opening a large tree must not pay for trees, so a
 * file is first offered to faster readers that decline whatever they are not sure about:
 * {@link PatternFileScanner} (plain pattern files, bytes only, no JSON library), then the streaming
 * reader ({@link #readArrayFast}: Jackson tokens, {@link PatternStreamReader} for patterns, free-form
 * values copied as text, an unusual element read the tree way from its own bytes). A decline costs
 * a second reading, never a different item or error; {@code StreamingDecodeEquivalenceTest} checks
 * every reader against the tree reader on generated, odd and damaged files.
 *
 * <h2>Writing</h2>
 * camelCase shapes of Loom's TypeScript runtime (or the 2.0.0 pattern shape when the pattern's
 * extra says {@code "version": "2.0.0"}), known fields first, then the extras in their order; an
 * extra whose key was already written as a typed field is skipped, so a key is never duplicated.
 * Timestamps are lossless: {@code UTC_Z} writes three fraction digits as {@code toISOString()} does,
 * and six or nine only when the instant has sub-millisecond precision.
 *
 * <p>Immutable and thread-safe.
 */
public final class ItemCodec {

    private static final Logger LOG = LoggerFactory.getLogger(ItemCodec.class);

    private static final DefaultPrettyPrinter LOOM_PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        LOOM_PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /** Writes supplementary characters (emoji) as UTF-8, as Loom's runtimes do, not as escapes. */
    private static final JsonFactory WRITE_FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /** Reads one element of an array from a shared parser (the array's other tokens follow it). */
    private static final ObjectReader ELEMENT_READER =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Top-level fields whose object values are decoded as trees (their fields are typed); every
     * other object value is copied as compact text and never becomes a tree.
     */
    private static final Set<String> STRUCTURED = Set.of("metrics", "performance", "evolution", "lifecycle",
            "effectiveness", "outcome");

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private final TimestampStyle style;
    private final ZoneId zone;

    /**
     * @param style how to write timestamps
     * @param zone the zone of naive timestamps, read and written
     */
    public ItemCodec(TimestampStyle style, ZoneId zone) {
        this.style = Objects.requireNonNull(style, "style");
        this.zone = Objects.requireNonNull(zone, "zone");
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
        List<MemoryItem> fast = kind == ItemKind.PATTERN ? new PatternFileScanner(plain, zone).read() : null;
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

    private static @Nullable String rawText(JsonNode v) {
        return v instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw ? (String) raw.rawValue() : null;
    }

    /**
     * @param json one item as a JSON object (UTF-8)
     * @param kind its kind
     * @param source how to name the data in messages
     * @return the item
     * @throws CorruptDataException if it is not valid JSON or not a valid item
     */
    public MemoryItem readItem(byte[] json, ItemKind kind, String source) {
        if (kind == ItemKind.PATTERN) {
            MemoryItem fast = new PatternFileScanner(json, zone, 8).readOne();
            if (fast == null) {
                fast = readPatternFast(json);
            }
            if (fast != null) {
                return fast;
            }
        }
        return readItemAsTree(json, kind, source);
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
        Fields f = new Fields(node, "");
        String id = f.string("id", "");
        String agent = f.string("agent", "");
        f.itemId[0] = agent.isEmpty() ? id : agent + "/" + id;
        Instant timestamp = f.timestamp("timestamp");
        MemoryItem item = switch (kind) {
            case PATTERN -> pattern(f, id, agent, timestamp);
            case SOLUTION -> solution(f, id, agent, timestamp);
            case DECISION -> decision(f, id, agent, timestamp);
        };
        return item;
    }

    private Pattern pattern(Fields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson body = f.raw("pattern");
        PatternMetrics metrics;
        Evolution evolution;
        Fields m = f.object("metrics");
        if (m == null) {
            m = f.object("performance");
        }
        metrics = m == null
                ? new PatternMetrics(1.0, 0, 0, 0, RawJson.emptyObject())
                : new PatternMetrics(m.number("successRate", 1.0), m.integer("executionCount", 0),
                        m.number("avgTimeSavedMs", 0), m.integer("errorPreventionCount", 0), m.rest());
        Fields e = f.object("evolution");
        if (e != null) {
            evolution = new Evolution(e.timestamp("created"), e.timestamp("lastUsed"), e.integer("refinements", 0),
                    e.number("confidenceScore", 1.0), e.rest());
        } else {
            Fields l = f.object("lifecycle");
            evolution = l == null
                    ? new Evolution(null, null, 0, 1.0, RawJson.emptyObject())
                    : new Evolution(l.timestamp("createdAt"), l.timestamp("lastUsedAt"),
                            l.integer("refinementCount", 0), l.number("confidence", 1.0), l.rest());
        }
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        return new Pattern(id, agent, timestamp, body, metrics, evolution, tags, active, f.rest());
    }

    private Solution solution(Fields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson problem = f.raw("problem");
        RawJson fix = f.raw("solution");
        Fields e = f.object("effectiveness");
        Effectiveness effectiveness = e == null
                ? new Effectiveness(true, 0, 0, 0, RawJson.emptyObject())
                : new Effectiveness(e.bool("worked", true), e.number("timeToFixMinutes", 0),
                        e.integer("preventedRecurrence", 0), e.integer("relatedErrorsFixed", 0), e.rest());
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        long verified = f.integer("verifiedCount", 0);
        return new Solution(id, agent, timestamp, problem, fix, effectiveness, tags, active, verified, f.rest());
    }

    private Decision decision(Fields f, String id, String agent, @Nullable Instant timestamp) {
        RawJson body = f.raw("decision");
        Fields o = f.object("outcome");
        DecisionOutcome outcome = null;
        if (o != null) {
            Fields metrics = o.object("successMetrics");
            outcome = new DecisionOutcome(metrics == null ? RawJson.emptyObject() : metrics.all(),
                    o.strings("lessonsLearned"), o.bool("wouldRepeat", true), o.strings("improvements"), o.rest());
        }
        List<String> tags = f.strings("tags");
        boolean active = f.bool("active", true);
        Instant reviewedAt = f.timestamp("reviewedAt");
        return new Decision(id, agent, timestamp, body, outcome, tags, active, reviewedAt, f.rest());
    }

    /**
     * Parses a timestamp in any style Loom writes or its Python toolkit reads: the ISO shapes
     * ({@code 2026-01-02T03:04:05}, any number of fraction digits, {@code Z} or {@code ±hh:mm}), then
     * every other form Python 3.11's {@code fromisoformat} accepts ({@link PythonIsoTimestamps}: a space
     * for {@code T}, a date alone, …). A naive timestamp is local time in {@code zone}; a date alone is
     * its start of day there.
     *
     * @param text the text
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null} if the text is not such a timestamp
     */
    public static @Nullable Instant parseTimestamp(String text, ZoneId zone) {
        Instant iso = parseIsoTimestamp(text, zone);
        return iso != null ? iso : PythonIsoTimestamps.parse(text, zone);
    }

    /**
     * Parses the ISO shapes only (those AML writes back in its own style); a form only Python reads
     * gives {@code null}, so the fast readers decline it and the tree reader keeps its text.
     *
     * @param text the text
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null}
     */
    public static @Nullable Instant parseIsoTimestamp(String text, ZoneId zone) {
        Instant fast = parseCommon(text, zone);
        if (fast != null) {
            return fast;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text.strip());
            if (t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
                return Instant.from(t);
            }
            return LocalDateTime.from(t).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Fast path for the shapes Loom writes ({@code uuuu-MM-ddTHH:mm:ss}, optional fraction, optional
     * {@code Z} or {@code ±hh:mm}); anything else (or any doubt) goes to the full ISO parser.
     */
    static @Nullable Instant parseCommon(CharSequence s, ZoneId zone) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return null;
            }
            nanos = digits(s, start, len);
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
        if (i == n) {
            return local.atZone(zone).toInstant();
        }
        if (i == n - 1 && s.charAt(i) == 'Z') {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            int total = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
            try {
                return local.toInstant(ZoneOffset.ofTotalSeconds(total));
            } catch (DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * @param instant an instant
     * @return it in this codec's style, lossless (extra fraction digits only when needed)
     */
    public String formatTimestamp(Instant instant) {
        return formatTimestamp(instant, style, zone);
    }

    /**
     * @param instant an instant
     * @param style the style
     * @param zone the zone for {@link TimestampStyle#NAIVE_LOCAL}
     * @return the text, lossless
     */
    public static String formatTimestamp(Instant instant, TimestampStyle style, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, style == TimestampStyle.UTC_Z ? ZoneOffset.UTC : zone);
        StringBuilder sb = new StringBuilder(32);
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            sb.append(SECONDS.format(local));
        } else {
            pad(sb, year, 4).append('-');
            pad(sb, local.getMonthValue(), 2).append('-');
            pad(sb, local.getDayOfMonth(), 2).append('T');
            pad(sb, local.getHour(), 2).append(':');
            pad(sb, local.getMinute(), 2).append(':');
            pad(sb, local.getSecond(), 2);
        }
        int nanos = local.getNano();
        if (style == TimestampStyle.UTC_Z) {
            appendFraction(sb, nanos, 3);
            sb.append('Z');
        } else if (nanos != 0) {
            appendFraction(sb, nanos, 6);
        }
        return sb.toString();
    }

    private static void appendFraction(StringBuilder sb, int nanos, int minDigits) {
        int digits = nanos % 1000 != 0 ? 9 : nanos % 1_000_000 != 0 ? 6 : 3;
        digits = Math.max(digits, minDigits);
        sb.append('.');
        int value = nanos;
        for (int k = 9; k > digits; k--) {
            value /= 10;
        }
        pad(sb, value, digits);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        int start = sb.length();
        sb.append(value);
        for (int len = sb.length() - start; len < width; len++) {
            sb.insert(start, '0');
        }
        return sb;
    }

    // ------------------------------------------------------------------------------------------ writing

    /**
     * Writes items as a Loom item file: a JSON array, 2-space indent, UTF-8, no trailing newline.
     *
     * @param items the items
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public void writeArray(List<? extends MemoryItem> items, OutputStream out) throws IOException {
        try (JsonGenerator g = WRITE_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter(LOOM_PRETTY));
            g.writeStartArray();
            for (MemoryItem item : items) {
                write(item, g, true);
            }
            g.writeEndArray();
        }
    }

    /**
     * @param items the items
     * @return the file bytes
     */
    public byte[] writeArray(List<? extends MemoryItem> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + items.size() * 512);
        try {
            writeArray(items, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param item an item
     * @return the item as compact UTF-8 JSON
     */
    public byte[] writeItem(MemoryItem item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = WRITE_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(item, g, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
        Writer w = new Writer(g, pretty);
        g.writeStartObject();
        w.string("id", item.id());
        w.string("agent", item.agent());
        w.timestamp("timestamp", item.timestamp(), item.extra());
        if (item instanceof Pattern p) {
            writePattern(p, w);
        } else if (item instanceof Solution s) {
            writeSolution(s, w);
        } else if (item instanceof Decision d) {
            writeDecision(d, w);
        }
        w.extras(item.extra());
        g.writeEndObject();
    }

    private void writePattern(Pattern p, Writer w) throws IOException {
        boolean v2 = p.extra().isObject() && p.extra().string("version").filter("2.0.0"::equals).isPresent();
        JsonGenerator g = w.g;
        w.raw("pattern", p.pattern());
        if (v2) {
            w.tags(p.tags());
            w.bool("active", p.active(), p.extra(), true);
        }
        PatternMetrics m = p.metrics();
        Writer mw = w.startObject(v2 ? "performance" : "metrics");
        mw.number(v2 ? "success_rate" : "successRate", m.successRate());
        mw.integer(v2 ? "execution_count" : "executionCount", m.executionCount());
        mw.number(v2 ? "avg_time_saved_ms" : "avgTimeSavedMs", m.avgTimeSavedMs());
        mw.integer(v2 ? "error_prevention_count" : "errorPreventionCount", m.errorPreventionCount());
        mw.extras(m.extra());
        g.writeEndObject();
        Evolution e = p.evolution();
        Writer ew = w.startObject(v2 ? "lifecycle" : "evolution");
        ew.timestamp(v2 ? "created_at" : "created", e.created(), e.extra());
        ew.timestamp(v2 ? "last_used_at" : "lastUsed", e.lastUsed(), e.extra());
        ew.integer(v2 ? "refinement_count" : "refinements", e.refinements());
        ew.number(v2 ? "confidence" : "confidenceScore", e.confidenceScore());
        ew.extras(e.extra());
        g.writeEndObject();
        if (!v2) {
            w.tags(p.tags());
            w.bool("active", p.active(), p.extra(), true);
        }
    }

    private void writeSolution(Solution s, Writer w) throws IOException {
        w.raw("problem", s.problem());
        w.raw("solution", s.solution());
        Effectiveness e = s.effectiveness();
        Writer ew = w.startObject("effectiveness");
        ew.bool("worked", e.worked(), e.extra(), true);
        ew.number("timeToFixMinutes", e.timeToFixMinutes());
        ew.integer("preventedRecurrence", e.preventedRecurrence());
        ew.integer("relatedErrorsFixed", e.relatedErrorsFixed());
        ew.extras(e.extra());
        w.g.writeEndObject();
        w.tags(s.tags());
        w.bool("active", s.active(), s.extra(), true);
        w.integer("verifiedCount", s.verifiedCount());
    }

    private void writeDecision(Decision d, Writer w) throws IOException {
        w.raw("decision", d.decision());
        DecisionOutcome o = d.outcome();
        if (o != null) {
            Writer ow = w.startObject("outcome");
            ow.raw("successMetrics", o.successMetrics());
            ow.strings("lessonsLearned", o.lessonsLearned());
            ow.bool("wouldRepeat", o.wouldRepeat(), o.extra(), true);
            ow.strings("improvements", o.improvements());
            ow.extras(o.extra());
            w.g.writeEndObject();
        }
        w.tags(d.tags());
        w.bool("active", d.active(), d.extra(), true);
        w.timestamp("reviewedAt", d.reviewedAt(), d.extra());
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

    // ------------------------------------------------------------------------------------------ helpers

    /** A field of the wrong type; becomes a {@link CorruptDataException} naming file and element. */
    static final class ShapeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShapeException(String message) {
            super(message, null, false, false);
        }
    }

    /** Takes known fields out of an object (camelCase first, then snake_case); the rest is extra. */
    private final class Fields {
        private final ObjectNode node;
        private final String path;
        /** The item's id once read, shared with nested objects (for reports). */
        private final String[] itemId;

        Fields(ObjectNode node, String path) {
            this(node, path, new String[] {""});
        }

        private Fields(ObjectNode node, String path, String[] itemId) {
            this.node = node;
            this.path = path;
            this.itemId = itemId;
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
            if (t == null) {
                return dflt;
            }
            if (t.value.isBoolean()) {
                return t.value.booleanValue();
            }
            // null, 0/1, "yes"...: read by LenientBoolean's rule and kept as written (see Writer.bool)
            node.set(t.key, t.value);
            LenientBoolean.Reading r = LenientBoolean.read(t.value, dflt);
            if (r.kind() == LenientBoolean.Kind.UNUSABLE) {
                LOG.warn("Item '{}': {} is {}, not a boolean; read as {} (the default) and kept as written",
                        itemId[0], where(t), show(t.value), dflt);
            }
            return r.value();
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

        @Nullable Fields object(String name) {
            Taken t = take(name);
            if (t == null || t.value.isNull()) {
                return null;
            }
            if (!(t.value instanceof ObjectNode o)) {
                throw new ShapeException(where(t) + " must be an object, was " + show(t.value));
            }
            return new Fields(o, path + t.key + ".", itemId);
        }

        @Nullable Instant timestamp(String name) {
            Taken t = take(name);
            if (t == null || t.value.isNull()) {
                return null;
            }
            Instant parsed = t.value.isTextual() ? parseIsoTimestamp(t.value.textValue(), zone) : null;
            if (parsed == null) {
                node.set(t.key, t.value); // kept verbatim, written back unchanged (see Writer.timestamp)
                parsed = t.value.isTextual() ? PythonIsoTimestamps.parse(t.value.textValue(), zone) : null;
            }
            return parsed;
        }

        RawJson rest() {
            return node.isEmpty() ? RawJson.emptyObject() : RawJson.of(node);
        }

        RawJson all() {
            return rest();
        }
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

    /** @return whether {@code extra} may hold a key {@code name} or its snake_case form (cheap text test) */
    private static boolean mentions(RawJson extra, String name) {
        if (!extra.isObject() || extra.isEmptyObject()) {
            return false;
        }
        String json = extra.json();
        return json.contains("\"" + name + "\"") || json.contains("\"" + snake(name) + "\"");
    }

    /** Writes the fields of one object and remembers their names, so extras never duplicate them. */
    private final class Writer {
        final JsonGenerator g;
        final boolean pretty;
        final Set<String> written = new HashSet<>();

        Writer(JsonGenerator g, boolean pretty) {
            this.g = g;
            this.pretty = pretty;
        }

        void string(String name, String value) throws IOException {
            written.add(name);
            g.writeStringField(name, value);
        }

        void number(String name, double value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeNumber(value);
        }

        void integer(String name, long value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeNumber(value);
        }

        void bool(String name, boolean value) throws IOException {
            written.add(name);
            g.writeBooleanField(name, value);
        }

        /**
         * Writes a boolean, or the non-boolean value it was read from (kept in {@code extra} under the
         * same name or its snake_case form) while that still means the same.
         */
        void bool(String name, boolean value, RawJson extra, boolean dflt) throws IOException {
            if (mentions(extra, name)) {
                JsonNode all = extra.tree();
                for (String key : List.of(name, snake(name))) {
                    JsonNode kept = all.get(key);
                    if (kept != null && !kept.isBoolean()) {
                        written.add(key); // read from this key; never written twice
                        if (LenientBoolean.keeps(kept, value, dflt)) {
                            written.add(name);
                            g.writeFieldName(name);
                            try (JsonParser p = Json.MAPPER.getFactory().createParser(kept.toString())) {
                                p.nextToken();
                                g.copyCurrentStructure(p);
                            }
                            return;
                        }
                        break;
                    }
                }
            }
            bool(name, value);
        }

        void tags(List<String> tags) throws IOException {
            strings("tags", tags);
        }

        void strings(String name, List<String> values) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeStartArray();
            for (String s : values) {
                g.writeString(s);
            }
            g.writeEndArray();
        }

        /**
         * Writes an instant in this codec's style, or the text it was read from when that was a form
         * only Python reads (kept in {@code extra} under the same name) and the instant is unchanged.
         */
        void timestamp(String name, @Nullable Instant value, RawJson extra) throws IOException {
            if (value == null) {
                return;
            }
            String kept = null;
            if (mentions(extra, name)) {
                for (String key : List.of(name, snake(name))) {
                    String text = extra.string(key).orElse(null);
                    if (text != null && parseIsoTimestamp(text, zone) == null
                            && PythonIsoTimestamps.parse(text, zone) != null) {
                        written.add(key); // read from this key; never written twice
                        kept = text;
                        break;
                    }
                }
            }
            boolean unchanged = kept != null && value.equals(PythonIsoTimestamps.parse(kept, zone));
            string(name, unchanged ? kept : formatTimestamp(value));
        }

        void raw(String name, RawJson value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            copy(value);
        }

        Writer startObject(String name) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeStartObject();
            return new Writer(g, pretty);
        }

        private void copy(RawJson value) throws IOException {
            if (!pretty) {
                g.writeRawValue(value.json());
                return;
            }
            try (JsonParser p = Json.MAPPER.getFactory().createParser(value.json())) {
                p.nextToken();
                g.copyCurrentStructure(p);
            }
        }

        void extras(RawJson extra) throws IOException {
            if (extra.isEmptyObject() || !extra.isObject()) {
                return;
            }
            try (JsonParser p = Json.MAPPER.getFactory().createParser(extra.json())) {
                p.nextToken(); // START_OBJECT
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (written.contains(name)) {
                        p.skipChildren();
                        continue;
                    }
                    written.add(name);
                    g.writeFieldName(name);
                    g.copyCurrentStructure(p);
                }
            }
        }
    }
}
