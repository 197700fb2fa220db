package dev.aml.loom.internal;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.internal.RawJsonAccess;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a whole {@code patterns.json} of the plain shape Loom's tools write, byte by byte, with no
 * JSON library: the first and fastest of the three readers of {@link ItemCodec#readArray}.
 *
 * <h2>A strict subset, everything else declined</h2>
 * This scanner accepts only a narrow, strictly checked subset of JSON and of the pattern shape, and
 * declines the whole file ({@link #read} returns {@code null}) at the first byte outside it; the
 * caller then reads the file with the Jackson-based readers, which give exactly the tree reader's
 * items or error. So it never has to reproduce an error message, and it is correct as long as
 * (1) everything it accepts is valid JSON and (2) the items it builds for it are the tree reader's.
 * <ul>
 *   <li>JSON: the RFC 8259 grammar with whitespace {@code SP HT LF CR}; strings of printable ASCII
 *       without escapes; integers of at most 18 digits without leading zeros; numbers with a
 *       fraction or exponent only as the value of a known numeric field; nesting at most
 *       {@value #MAX_DEPTH} deep. Anything else (an escape, a non-ASCII byte, a byte order mark, a
 *       big number, a float inside a body) is declined, never guessed.</li>
 *   <li>Shape: an array of objects whose keys are the known pattern fields (camelCase or
 *       snake_case, the 2.0.0 {@code performance}/{@code lifecycle}) with values of their type or
 *       {@code null}; each key at most once, one spelling per field, and one of
 *       {@code metrics}/{@code performance} and of {@code evolution}/{@code lifecycle}. An unknown
 *       field anywhere except inside the free-form body is declined (it belongs in {@code extra},
 *       which the Jackson reader builds). Bodies are objects of any keys, checked for duplicates.</li>
 * </ul>
 *
 * <h2>Values are the tree reader's values</h2>
 * Integers become {@code long}s and, in a fractional field, {@code (double) long}, as the tree's
 * {@code IntNode}/{@code LongNode} convert; fractions are parsed correctly rounded (Jackson's fast
 * parser, the same double as {@link Double#parseDouble}) and a non-finite one is declined. Bodies are copied without
 * whitespace, which for this subset is exactly the compact text Jackson's generator writes.
 * Timestamps go through the same parser as on every other path. {@code StreamingDecodeEquivalenceTest}
 * compares all three readers on generated and damaged files.
 *
 * <p>One instance per file; not thread-safe.
 *
 * <p>Why one class of this size: the scanner is a single hand-written state machine over one byte
 * array, measured by {@code JsonDecodeBenchmark}; splitting its states across classes would add
 * indirection on the hottest path of opening a tree and scatter the subset rules it must keep.
 */
final class PatternFileScanner {

    /** Deepest nesting accepted (the element's own object is depth 1). */
    static final int MAX_DEPTH = 64;

    private static final int MAX_INTEGER_DIGITS = 18;
    private static final int MAX_NUMBER_LENGTH = 64;
    /** Longest key and string accepted; Jackson refuses names above 50,000 and strings above 20,000,000 chars. */
    private static final int MAX_KEY_LENGTH = 1_000;
    private static final int MAX_STRING_LENGTH = 1_000_000;

    /** Thrown to decline; no stack trace, one instance. */
    private static final RuntimeException DECLINE = new RuntimeException("declined", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Bytes that end the plain run of a string: the quote, and all that is declined in a string. */
    private static final boolean[] STOP = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            STOP[b] = b < 0x20 || b == '"' || b == '\\' || b >= 0x7f;
        }
    }

    private static final byte[] ID = bytes("id");
    private static final byte[] AGENT = bytes("agent");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] PATTERN = bytes("pattern");
    private static final byte[] METRICS = bytes("metrics");
    private static final byte[] PERFORMANCE = bytes("performance");
    private static final byte[] EVOLUTION = bytes("evolution");
    private static final byte[] LIFECYCLE = bytes("lifecycle");
    private static final byte[] TAGS = bytes("tags");
    private static final byte[] ACTIVE = bytes("active");

    private static final byte NUMBER = 0;
    private static final byte WHOLE = 1;
    private static final byte STAMP = 2;
    private static final int[] METRIC_FIELDS = {0, 0, 1, 1, 2, 2, 3, 3}; // camelCase and snake_case of each
    private static final byte[] METRIC_TYPES = {NUMBER, WHOLE, NUMBER, WHOLE};
    private static final byte[] EVOLUTION_TYPES = {STAMP, STAMP, WHOLE, NUMBER};
    private static final byte[][] METRIC_KEYS = {bytes("successRate"), bytes("success_rate"),
        bytes("executionCount"), bytes("execution_count"), bytes("avgTimeSavedMs"), bytes("avg_time_saved_ms"),
        bytes("errorPreventionCount"), bytes("error_prevention_count")};
    private static final byte[][] EVOLUTION_KEYS = {bytes("created"), bytes("lastUsed"), bytes("last_used"),
        bytes("refinements"), bytes("confidenceScore"), bytes("confidence_score")};
    private static final int[] EVOLUTION_FIELDS = {0, 1, 1, 2, 3, 3};
    private static final byte[][] LIFECYCLE_KEYS = {bytes("createdAt"), bytes("created_at"), bytes("lastUsedAt"),
        bytes("last_used_at"), bytes("refinementCount"), bytes("refinement_count"), bytes("confidence")};
    private static final int[] LIFECYCLE_FIELDS = {0, 0, 1, 1, 2, 2, 3};

    private final byte[] d;
    private final int end;
    private final ZoneId zone;
    private int i;

    // the last scanned string or number
    private int valueStart;
    private int valueEnd;
    private long integer;
    private boolean fraction;

    private byte[] compact = new byte[256];
    private int[] levels = new int[8];
    private int depth;
    private int[] keyStart = new int[16];
    private int[] keyLength = new int[16];
    private final RepeatedText text;
    private final double[] numbers = new double[4];
    private final long[] wholes = new long[4];
    private final Instant[] stamps = new Instant[4];
    private int lastStampStart = -1;
    private int lastStampLength;
    private @Nullable Instant lastInstant;

    /**
     * @param data the file's plain bytes
     * @param zone the zone of naive timestamps
     */
    PatternFileScanner(byte[] data, ZoneId zone) {
        this(data, zone, 512);
    }

    /**
     * @param data the bytes
     * @param zone the zone of naive timestamps
     * @param cacheSize slots of the cache of repeated text, a power of two
     */
    PatternFileScanner(byte[] data, ZoneId zone, int cacheSize) {
        this.d = data;
        this.end = data.length;
        this.zone = zone;
        this.text = new RepeatedText(cacheSize);
    }

    /** @return the one pattern object the data holds (journal entries, backups), or {@code null} to decline */
    @Nullable Pattern readOne() {
        try {
            ws();
            Pattern item = element();
            ws();
            return i == end ? item : null;
        } catch (RuntimeException e) { // DECLINE, or reading past the end of truncated data
            return null;
        }
    }

    /** @return the patterns in file order, or {@code null} if the file is outside the subset */
    @Nullable List<MemoryItem> read() {
        try {
            ws();
            expect('[');
            List<MemoryItem> items = new ArrayList<>(Math.max(10, end / 512));
            ws();
            if (d[i] == ']') {
                i++;
            } else {
                while (true) {
                    ws();
                    items.add(element());
                    ws();
                    byte c = d[i++];
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        throw DECLINE;
                    }
                }
            }
            ws();
            return i == end ? items : null;
        } catch (RuntimeException e) { // DECLINE, or reading past the end of truncated data
            return null;
        }
    }

    private Pattern element() {
        expect('{');
        String id = "";
        String agent = "";
        Instant timestamp = null;
        RawJson body = RawJson.emptyObject();
        PatternMetrics metrics = null;
        Evolution evolution = null;
        List<String> tags = List.of();
        boolean active = true;
        int seen = 0;
        ws();
        if (d[i] == '}') {
            i++;
        } else {
            while (true) {
                int ks = member();
                int kl = valueEnd - ks;
                int bit;
                if (is(ks, kl, ID)) {
                    bit = 1;
                    if (!isNull()) {
                        string();
                        id = new String(d, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
                    }
                } else if (is(ks, kl, AGENT)) {
                    bit = 1 << 1;
                    if (!isNull()) {
                        string();
                        agent = cachedString();
                    }
                } else if (is(ks, kl, TIMESTAMP)) {
                    bit = 1 << 2;
                    if (!isNull()) {
                        timestamp = timestamp();
                    }
                } else if (is(ks, kl, PATTERN)) {
                    bit = 1 << 3;
                    if (d[i] == '{') {
                        body = RawJsonAccess.ofCompactTrusted(body());
                    } else {
                        throw DECLINE; // null or another type: rare, the Jackson reader handles it
                    }
                } else if (is(ks, kl, METRICS) || is(ks, kl, PERFORMANCE)) {
                    bit = 1 << 4;
                    if (!isNull()) {
                        metrics = metrics();
                    }
                } else if (is(ks, kl, EVOLUTION)) {
                    bit = 1 << 5;
                    if (!isNull()) {
                        evolution = evolution(EVOLUTION_KEYS, EVOLUTION_FIELDS);
                    }
                } else if (is(ks, kl, LIFECYCLE)) {
                    bit = 1 << 5;
                    if (!isNull()) {
                        evolution = evolution(LIFECYCLE_KEYS, LIFECYCLE_FIELDS);
                    }
                } else if (is(ks, kl, TAGS)) {
                    bit = 1 << 6;
                    if (!isNull()) {
                        tags = tags();
                    }
                } else if (is(ks, kl, ACTIVE)) {
                    bit = 1 << 7;
                    if (!isNull()) {
                        active = bool();
                    }
                } else {
                    throw DECLINE; // an unknown field: it goes to extra, which the Jackson reader builds
                }
                if ((seen & bit) != 0) {
                    throw DECLINE; // a repeated key, or both of metrics/performance or evolution/lifecycle
                }
                seen |= bit;
                if (separator('}')) {
                    break;
                }
            }
        }
        if (metrics == null) {
            metrics = new PatternMetrics(1.0, 0, 0, 0, RawJson.emptyObject());
        }
        if (evolution == null) {
            evolution = new Evolution(null, null, 0, 1.0, RawJson.emptyObject());
        }
        return new Pattern(id, agent, timestamp, body, metrics, evolution, tags, active, RawJson.emptyObject());
    }

    private PatternMetrics metrics() {
        int present = members(METRIC_KEYS, METRIC_FIELDS, METRIC_TYPES);
        return new PatternMetrics((present & 1) != 0 ? numbers[0] : 1.0, (present & 2) != 0 ? wholes[1] : 0,
                (present & 4) != 0 ? numbers[2] : 0, (present & 8) != 0 ? wholes[3] : 0, RawJson.emptyObject());
    }

    private Evolution evolution(byte[][] keys, int[] fields) {
        int present = members(keys, fields, EVOLUTION_TYPES);
        return new Evolution((present & 1) != 0 ? stamps[0] : null, (present & 2) != 0 ? stamps[1] : null,
                (present & 4) != 0 ? wholes[2] : 0, (present & 8) != 0 ? numbers[3] : 1.0, RawJson.emptyObject());
    }

    /**
     * Scans a {@code metrics}-like object whose keys are all known: {@code keys[k]} sets field
     * {@code fields[k]}, read as {@code types[field]} into {@code numbers}/{@code wholes}/{@code stamps}.
     *
     * @return a bit per field that has a non-null value
     */
    private int members(byte[][] keys, int[] fields, byte[] types) {
        expect('{');
        int seen = 0;
        int present = 0;
        ws();
        if (d[i] == '}') {
            i++;
            return 0;
        }
        while (true) {
            int ks = member();
            int k = find(ks, valueEnd - ks, keys);
            if (k < 0) {
                throw DECLINE; // an unknown field: it goes to extra, which the Jackson reader builds
            }
            int field = fields[k];
            if ((seen & (1 << field)) != 0) {
                throw DECLINE; // a repeated key, or both spellings of one field
            }
            seen |= 1 << field;
            if (!isNull()) {
                present |= 1 << field;
                switch (types[field]) {
                    case NUMBER -> numbers[field] = fractional();
                    case WHOLE -> wholes[field] = whole();
                    default -> stamps[field] = timestamp();
                }
            }
            if (separator('}')) {
                return present;
            }
        }
    }

    private List<String> tags() {
        expect('[');
        ws();
        if (d[i] == ']') {
            i++;
            return List.of();
        }
        List<String> tags = new ArrayList<>(4);
        while (true) {
            ws();
            string();
            tags.add(cachedString());
            if (separator(']')) {
                break;
            }
        }
        return tags.size() == 2 ? text.pair(tags.get(0), tags.get(1)) : List.copyOf(tags);
    }

    /** @return whether the value after the whitespace closes the container ({@code close}) or a comma follows */
    private boolean separator(char close) {
        ws();
        byte c = d[i++];
        if (c == close) {
            return true;
        }
        if (c != ',') {
            throw DECLINE;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------- values

    /** @return whether the value is {@code null} (then consumed) */
    private boolean isNull() {
        if (d[i] != 'n') {
            return false;
        }
        if (d[i + 1] != 'u' || d[i + 2] != 'l' || d[i + 3] != 'l') {
            throw DECLINE;
        }
        i += 4;
        return true;
    }

    private boolean bool() {
        if (d[i] == 't' && d[i + 1] == 'r' && d[i + 2] == 'u' && d[i + 3] == 'e') {
            i += 4;
            return true;
        }
        if (d[i] == 'f' && d[i + 1] == 'a' && d[i + 2] == 'l' && d[i + 3] == 's' && d[i + 4] == 'e') {
            i += 5;
            return false;
        }
        throw DECLINE;
    }

    /**
     * Scans an object member's key and colon.
     *
     * @return where the key's text starts ({@code valueEnd} is where it ends); {@code i} is at the value
     */
    private int member() {
        ws();
        int start = key();
        int keyEnd = valueEnd;
        ws();
        expect(':');
        ws();
        valueEnd = keyEnd;
        return start;
    }

    /** Scans a key and returns where its text starts; {@code i} is then after the closing quote. */
    private int key() {
        string();
        if (valueEnd - valueStart > MAX_KEY_LENGTH) {
            throw DECLINE;
        }
        return valueStart;
    }

    /** Scans a string of printable ASCII without escapes; its text is {@code [valueStart, valueEnd)}. */
    private void string() {
        expect('"');
        int start = i;
        int k = i;
        while (!STOP[d[k] & 0xff]) {
            k++;
        }
        if (d[k] != '"') {
            throw DECLINE; // a control character, an escape, DEL or a non-ASCII byte
        }
        if (k - start > MAX_STRING_LENGTH) {
            throw DECLINE;
        }
        valueStart = start;
        valueEnd = k;
        i = k + 1;
    }

    /**
     * Scans a JSON number (strict grammar); an integer's value goes to {@code integer}, and
     * {@code fraction} says whether it has a fraction or exponent.
     */
    private void number() {
        int start = i;
        int k = i;
        if (d[k] == '-') {
            k++;
        }
        int digitsStart = k;
        if (d[k] == '0') {
            k++;
        } else if (d[k] >= '1' && d[k] <= '9') {
            while (d[k] >= '0' && d[k] <= '9') {
                k++;
            }
        } else {
            throw DECLINE;
        }
        int intDigits = k - digitsStart;
        boolean frac = false;
        if (d[k] == '.') {
            frac = true;
            k++;
            int f = k;
            while (d[k] >= '0' && d[k] <= '9') {
                k++;
            }
            if (k == f) {
                throw DECLINE;
            }
        }
        if (d[k] == 'e' || d[k] == 'E') {
            frac = true;
            k++;
            if (d[k] == '+' || d[k] == '-') {
                k++;
            }
            int e = k;
            while (d[k] >= '0' && d[k] <= '9') {
                k++;
            }
            if (k == e) {
                throw DECLINE;
            }
        }
        if (k - start > MAX_NUMBER_LENGTH) {
            throw DECLINE;
        }
        if (!frac) {
            if (intDigits > MAX_INTEGER_DIGITS) {
                throw DECLINE;
            }
            long v = 0;
            for (int p = digitsStart; p < k; p++) {
                v = v * 10 + (d[p] - '0');
            }
            integer = d[start] == '-' ? -v : v;
        }
        fraction = frac;
        valueStart = start;
        valueEnd = k;
        i = k;
    }

    /** A number field: as {@code JsonNode.doubleValue()} of the tree's node; non-finite declined. */
    private double fractional() {
        number();
        if (!fraction) {
            return integer;
        }
        // Jackson's fast parser: correctly rounded, so the same double as Double.parseDouble, several times faster
        double v = NumberInput.parseDouble(new String(d, valueStart, valueEnd - valueStart,
                StandardCharsets.ISO_8859_1), true);
        if (!Double.isFinite(v)) {
            throw DECLINE;
        }
        return v;
    }

    /** A whole-number field: an integer; a fraction (which the tree reader may accept) is declined. */
    private long whole() {
        number();
        if (fraction) {
            throw DECLINE;
        }
        return integer;
    }

    private Instant timestamp() {
        string();
        int start = valueStart;
        int length = valueEnd - valueStart;
        if (lastStampStart >= 0 && length == lastStampLength
                && Arrays.equals(d, start, start + length, d, lastStampStart, lastStampStart + length)) {
            return lastInstant;
        }
        Instant at = LoomTimestamps.parseCommon(text.ascii(d, start, length), zone);
        if (at == null) {
            at = LoomTimestamps.parseTimestamp(new String(d, start, length, StandardCharsets.ISO_8859_1), zone);
            if (at == null) {
                throw DECLINE; // the tree reader keeps it in extra
            }
        }
        lastStampStart = start;
        lastStampLength = length;
        lastInstant = at;
        return at;
    }

    /**
     * Scans the object value at {@code i} (a free-form body) and returns it as compact text:
     * the bytes without whitespace, keys checked for duplicates in every object.
     *
     * <p>{@code levels} is a stack of the open containers: each entry holds where the container's
     * keys start in {@code keyStart}/{@code keyLength}, with the sign bit set for an array.
     */
    private String body() {
        int n = 0;
        depth = 0;
        int keys = 0;
        boolean expectValue = true;
        while (true) {
            ws();
            if (n + 8 > compact.length) {
                compact = Arrays.copyOf(compact, compact.length * 2);
            }
            byte c = d[i];
            if (expectValue) {
                switch (c) {
                    case '{', '[' -> {
                        if (depth == MAX_DEPTH) {
                            throw DECLINE;
                        }
                        if (depth == levels.length) {
                            levels = Arrays.copyOf(levels, depth * 2);
                        }
                        levels[depth++] = keys | (c == '[' ? Integer.MIN_VALUE : 0);
                        compact[n++] = c;
                        i++;
                        ws();
                        byte close = c == '{' ? (byte) '}' : (byte) ']';
                        if (d[i] == close) {
                            compact[n++] = close;
                            i++;
                            keys = levels[--depth] & Integer.MAX_VALUE;
                            expectValue = false;
                        } else if (c == '{') {
                            n = objectKey(n, keys);
                            keys++;
                        }
                        // else an array's first value follows
                    }
                    case '"' -> {
                        string();
                        n = copy(n);
                        expectValue = false;
                    }
                    case 't', 'f' -> {
                        int s = i;
                        bool();
                        System.arraycopy(d, s, compact, n, i - s);
                        n += i - s;
                        expectValue = false;
                    }
                    case 'n' -> {
                        if (!isNull()) {
                            throw DECLINE;
                        }
                        System.arraycopy(d, i - 4, compact, n, 4);
                        n += 4;
                        expectValue = false;
                    }
                    default -> {
                        number();
                        if (fraction || d[valueStart] == '-' && integer == 0) {
                            throw DECLINE; // Jackson's generator normalizes these (1.50 -> 1.5, -0 -> 0)
                        }
                        int len = valueEnd - valueStart;
                        if (n + len > compact.length) {
                            compact = Arrays.copyOf(compact, compact.length * 2 + len);
                        }
                        System.arraycopy(d, valueStart, compact, n, len);
                        n += len;
                        expectValue = false;
                    }
                }
                if (depth == 0) {
                    break; // the body was {}
                }
                continue;
            }
            // after a value: a comma, or the end of the enclosing container
            boolean inObject = levels[depth - 1] >= 0;
            i++;
            if (c == ',') {
                compact[n++] = ',';
                if (inObject) {
                    ws();
                    n = objectKey(n, keys);
                    keys++;
                }
                expectValue = true;
            } else if (c == (inObject ? '}' : ']')) {
                compact[n++] = c;
                keys = levels[--depth] & Integer.MAX_VALUE;
                if (depth == 0) {
                    break;
                }
            } else {
                throw DECLINE;
            }
        }
        return new String(compact, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * Copies the key at {@code i} and its colon, refusing a key the innermost object already has.
     *
     * @param n the length of the compact text so far
     * @param keys the number of keys of all open objects so far
     * @return the new length
     */
    private int objectKey(int n, int keys) {
        string();
        int length = valueEnd - valueStart;
        if (length > MAX_KEY_LENGTH) {
            throw DECLINE; // Jackson limits names
        }
        for (int k = levels[depth - 1] & Integer.MAX_VALUE; k < keys; k++) {
            if (keyLength[k] == length
                    && Arrays.equals(d, keyStart[k], keyStart[k] + length, d, valueStart, valueEnd)) {
                throw DECLINE; // a duplicate key: a tree keeps only the last value
            }
        }
        if (keys == keyStart.length) {
            keyStart = Arrays.copyOf(keyStart, keys * 2);
            keyLength = Arrays.copyOf(keyLength, keys * 2);
        }
        keyStart[keys] = valueStart;
        keyLength[keys] = length;
        int m = copy(n);
        ws();
        expect(':');
        compact[m] = ':'; // copy() leaves room for at least one byte
        return m + 1;
    }

    /** Copies the last scanned string with its quotes; returns the new length (room for one more byte is left). */
    private int copy(int n) {
        int length = valueEnd - valueStart + 2;
        if (n + length + 8 > compact.length) {
            compact = Arrays.copyOf(compact, Math.max(compact.length * 2, n + length + 16));
        }
        System.arraycopy(d, valueStart - 1, compact, n, length);
        return n + length;
    }

    // ------------------------------------------------------------------------------------- helpers

    private void ws() {
        int k = i;
        byte c;
        while (k < end && ((c = d[k]) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            k++;
        }
        i = k;
    }

    private void expect(char c) {
        if (d[i] != c) {
            throw DECLINE;
        }
        i++;
    }

    private boolean is(int start, int length, byte[] literal) {
        return length == literal.length && Arrays.equals(d, start, start + length, literal, 0, length);
    }

    private int find(int start, int length, byte[][] literals) {
        for (int k = 0; k < literals.length; k++) {
            if (is(start, length, literals[k])) {
                return k;
            }
        }
        return -1;
    }

    private String cachedString() {
        return text.ofAscii(d, valueStart, valueEnd - valueStart);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
