package dev.aml.loom.internal;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.aml.core.MemoryItem;
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
 * Reads a whole item file of the plain shape Loom's tools write, byte by byte, with no JSON library:
 * the first and fastest of the three readers of {@link ItemCodec#readArray}. This class holds the
 * JSON subset and the fields every kind shares; {@link PatternFileScanner}, {@link SolutionFileScanner}
 * and {@link DecisionFileScanner} add the fields of their kind.
 *
 * <h2>A strict subset, everything else declined</h2>
 * A scanner accepts only a narrow, strictly checked subset of JSON and of its item shape, and
 * declines the whole file ({@link #read} returns {@code null}) at the first byte outside it; the
 * caller then reads the file with the Jackson-based readers, which give exactly the tree reader's
 * items or error. So it never has to reproduce an error message, and it is correct as long as
 * (1) everything it accepts is valid JSON and (2) the items it builds for it are the tree reader's.
 * <ul>
 *   <li>JSON: the RFC 8259 grammar with whitespace {@code SP HT LF CR}; strings of well-formed
 *       UTF-8 (shortest form, no surrogates) whose only escapes are the short ones
 *       ({@code \" \\ \n \r \t \b \f}); integers of at most 18 digits without leading zeros;
 *       numbers of at most 64 characters; nesting at most {@value #MAX_DEPTH} deep. Anything else (a
 *       {@code \/} or {@code \}{@code u} escape, malformed UTF-8, a byte order mark, a big integer, a
 *       non-finite number) is declined, never guessed.</li>
 *   <li>Shape: an array of objects whose keys are the known fields of the kind (camelCase or
 *       snake_case, as {@link ItemFields} takes them) with values of their type or {@code null};
 *       each key at most once, one spelling per field. An unknown field anywhere except inside a
 *       free-form body is declined (it belongs in {@code extra}, which the Jackson readers build),
 *       and so is any value the tree reader would keep in {@code extra} as written (a timestamp
 *       only Python reads, a boolean field that is not {@code true}/{@code false}). Bodies are
 *       objects of any keys, checked for duplicates at every depth.</li>
 * </ul>
 *
 * <h2>Values are the tree reader's values</h2>
 * Integers become {@code long}s and, in a fractional field, {@code (double) long}, as the tree's
 * {@code IntNode}/{@code LongNode} convert; fractions are parsed correctly rounded (Jackson's fast
 * parser, the same double as {@link Double#parseDouble}), and in a whole-number field an integral
 * fraction below 2<sup>53</sup> is its {@code long}, as {@link ItemFields#integer} reads it. Bodies
 * are copied without whitespace, strings byte for byte (Jackson's generator writes exactly the short
 * escapes above for those characters, every other character raw, and each character has only one
 * form in this subset, so comparing keys byte for byte finds the duplicates a tree would merge),
 * numbers as the tree's nodes write them: an integer as written
 * ({@code -0} as {@code 0}), a fraction as {@link Double#toString} of its value ({@code 1.50} as
 * {@code 1.5}, {@code 1e2} as {@code 100.0}), which is what Jackson's generator writes for a
 * {@code DoubleNode}; for this subset that is exactly the compact text of the tree. Timestamps go
 * through the same parser as on every other path. {@code StreamingDecodeEquivalenceTest} compares
 * all three readers on generated, odd and damaged files of every kind.
 *
 * <p>One instance per file; not thread-safe.
 *
 * <p>Why a state machine over one byte array, spread over a base class and one small class per
 * kind: the lexing is the hot path of opening a tree (measured by {@code JsonDecodeBenchmark}) and
 * stays in one place with the subset rules it must keep; the kinds differ only in their field names
 * and records.
 */
abstract class ItemFileScanner {

    /** Deepest nesting accepted (the element's own object is depth 1). */
    static final int MAX_DEPTH = 64;

    private static final int MAX_INTEGER_DIGITS = 18;
    private static final int MAX_NUMBER_LENGTH = 64;
    /** Longest key and string accepted; Jackson refuses names above 50,000 and strings above 20,000,000 chars. */
    private static final int MAX_KEY_LENGTH = 1_000;
    private static final int MAX_STRING_LENGTH = 1_000_000;

    /** Thrown to decline; no stack trace, one instance. */
    static final RuntimeException DECLINE = new RuntimeException("declined", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Bytes that end the plain run of a string: the quote, an escape, a control character, a non-ASCII byte. */
    private static final boolean[] STOP = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            STOP[b] = b < 0x20 || b == '"' || b == '\\' || b >= 0x80;
        }
    }

    private static final byte[] ID = bytes("id");
    private static final byte[] AGENT = bytes("agent");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] TAGS = bytes("tags");
    private static final byte[] ACTIVE = bytes("active");

    /** The lowest bit {@link #field} may return; the lower ones are the shared fields'. */
    static final int FIRST_FIELD_BIT = 1 << 5;

    // the types of the fields of a nested object, for members()
    /** A finite number, as {@link ItemFields#number}: into {@link #numbers}. */
    static final byte NUMBER = 0;
    /** A whole number, as {@link ItemFields#integer}: into {@link #wholes}. */
    static final byte WHOLE = 1;
    /** A timestamp: into {@link #objects}. */
    static final byte STAMP = 2;
    /** {@code true} or {@code false} (a {@code null} is declined): 1 or 0 into {@link #wholes}. */
    static final byte BOOL = 3;
    /** An object, as compact text: a {@link RawJson} into {@link #objects}. */
    static final byte OBJECT = 4;
    /** An array of strings: a {@code List<String>} into {@link #objects}. */
    static final byte STRINGS = 5;

    private final byte[] d;
    private final int end;
    private final ZoneId zone;
    private int i;

    // the last scanned string or number
    private int valueStart;
    private int valueEnd;
    private long integer;
    private boolean fraction;
    /** Whether the last string is ASCII without escapes (its bytes are its characters). */
    private boolean plainText;
    /** Whether the last string that is not plain has an escape. */
    private boolean escaped;
    /** Whether the body being copied has a string that is not plain (its text is then decoded as UTF-8). */
    private boolean bodyNotPlain;

    private byte[] compact = new byte[256];
    private int[] levels = new int[8];
    private int depth;
    private int[] keyStart = new int[16];
    private int[] keyLength = new int[16];
    private final RepeatedText text;
    /** The values {@link #members} read, by field. */
    final double[] numbers = new double[4];
    final long[] wholes = new long[4];
    final @Nullable Object[] objects = new Object[4];
    private final char[] stampChars = new char[LoomTimestamps.MAX_COMMON_LENGTH];
    private int lastStampStart = -1;
    private int lastStampLength;
    private @Nullable Instant lastInstant;

    // the shared fields of the element being read
    String id = "";
    String agent = "";
    @Nullable Instant timestamp;
    List<String> tags = List.of();
    boolean active = true;

    /**
     * @param data the bytes
     * @param zone the zone of naive timestamps
     * @param cacheSize slots of the cache of repeated text, a power of two
     */
    ItemFileScanner(byte[] data, ZoneId zone, int cacheSize) {
        this.d = data;
        this.end = data.length;
        this.zone = zone;
        this.text = new RepeatedText(cacheSize);
    }

    // ------------------------------------------------------------------------------- the kind's part

    /** Resets the kind's own fields before an element is read (the shared ones are reset here). */
    abstract void startElement();

    /**
     * Reads the value of a field of the kind, or declines an unknown key.
     *
     * @param ks where the key's text starts in the data
     * @param kl the key's length
     * @return the field's bit, at least {@link #FIRST_FIELD_BIT}, the same for both spellings (and
     *     for both shapes of a field, such as {@code metrics}/{@code performance})
     */
    abstract int field(int ks, int kl);

    /** @return the element read, from the shared and the kind's fields */
    abstract MemoryItem item();

    // ------------------------------------------------------------------------------------ the file

    /** @return the one item object the data holds (journal entries, backups), or {@code null} to decline */
    final @Nullable MemoryItem readOne() {
        try {
            ws();
            MemoryItem item = element();
            ws();
            return i == end ? item : null;
        } catch (RuntimeException e) { // DECLINE, or reading past the end of truncated data
            return null;
        }
    }

    /** @return the items in file order, or {@code null} if the file is outside the subset */
    final @Nullable List<MemoryItem> read() {
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

    /** Reads an element; the shared fields are dispatched here, inline, since C1 would not inline a call. */
    private MemoryItem element() {
        expect('{');
        id = "";
        agent = "";
        timestamp = null;
        tags = List.of();
        active = true;
        startElement();
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
                        id = stringText();
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
                } else if (is(ks, kl, TAGS)) {
                    bit = 1 << 3;
                    if (!isNull()) {
                        tags = strings();
                    }
                } else if (is(ks, kl, ACTIVE)) {
                    bit = 1 << 4;
                    if (isNull()) {
                        throw DECLINE; // the tree reader keeps a null as written (LenientBoolean)
                    }
                    active = bool();
                } else {
                    bit = field(ks, kl);
                }
                if ((seen & bit) != 0) {
                    throw DECLINE; // a repeated key, or two spellings or shapes of one field
                }
                seen |= bit;
                if (separator('}')) {
                    break;
                }
            }
        }
        return item();
    }

    // ------------------------------------------------------------------------ the kinds' building blocks

    /** @return whether the key {@code [ks, ks + kl)} is {@code literal} */
    final boolean is(int ks, int kl, byte[] literal) {
        return kl == literal.length && Arrays.equals(d, ks, ks + kl, literal, 0, kl);
    }

    /** @return the index of the key {@code [ks, ks + kl)} in {@code literals}, or -1 */
    final int find(int ks, int kl, byte[][] literals) {
        for (int k = 0; k < literals.length; k++) {
            if (is(ks, kl, literals[k])) {
                return k;
            }
        }
        return -1;
    }

    /** A free-form body: an object (another value, rare, is declined to the Jackson readers) as compact text. */
    final RawJson objectBody() {
        if (d[i] != '{') {
            throw DECLINE;
        }
        return RawJsonAccess.ofCompactTrusted(body());
    }

    /**
     * Scans an object like {@code metrics} whose keys are all known: {@code keys[k]} sets field
     * {@code fields[k]}, read as {@code types[field]} into {@link #numbers}, {@link #wholes} or
     * {@link #objects}.
     *
     * @return a bit per field that has a non-null value
     */
    final int members(byte[][] keys, int[] fields, byte[] types) {
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
            byte type = types[field];
            if (isNull()) {
                if (type == BOOL) {
                    throw DECLINE; // the tree reader keeps a null as written (LenientBoolean)
                }
            } else {
                present |= 1 << field;
                switch (type) {
                    case NUMBER -> numbers[field] = fractional();
                    case WHOLE -> wholes[field] = whole();
                    case BOOL -> wholes[field] = bool() ? 1 : 0;
                    case STAMP -> objects[field] = timestamp();
                    case OBJECT -> objects[field] = objectBody();
                    default -> objects[field] = strings();
                }
            }
            if (separator('}')) {
                return present;
            }
        }
    }

    /** An array of strings ({@code tags}, {@code lessonsLearned}), repeated texts shared. */
    final List<String> strings() {
        expect('[');
        ws();
        if (d[i] == ']') {
            i++;
            return List.of();
        }
        List<String> list = new ArrayList<>(4);
        while (true) {
            ws();
            string();
            list.add(cachedString());
            if (separator(']')) {
                break;
            }
        }
        return list.size() == 2 ? text.pair(list.get(0), list.get(1)) : List.copyOf(list);
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

    /** @return whether the value is {@code null} (then consumed); small enough for C1 to inline */
    final boolean isNull() {
        return d[i] == 'n' && nullLiteral();
    }

    private boolean nullLiteral() {
        if (d[i + 1] != 'u' || d[i + 2] != 'l' || d[i + 3] != 'l') {
            throw DECLINE;
        }
        i += 4;
        return true;
    }

    final boolean bool() {
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
    private int member() { // kept small enough for C1 to inline
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

    /**
     * Scans a string of well-formed UTF-8 whose escapes are the short ones Jackson's generator
     * writes back the same way; its bytes are {@code [valueStart, valueEnd)}.
     */
    private void string() {
        expect('"');
        int start = i;
        int k = i;
        while (!STOP[d[k] & 0xff]) {
            k++;
        }
        boolean plain = d[k] == '"';
        if (!plain) {
            k = notPlainString(k);
        }
        if (k - start > MAX_STRING_LENGTH) {
            throw DECLINE;
        }
        plainText = plain;
        valueStart = start;
        valueEnd = k;
        i = k + 1;
    }

    /**
     * Scans the rest of a string after its plain run: the escapes {@code \" \\ \n \r \t \b \f}
     * (the only form of those characters in JSON, and the one Jackson's generator writes) and
     * well-formed UTF-8; {@code \/} and {@code \}{@code u} escapes (written back differently) and raw
     * control characters (invalid) are declined.
     *
     * @return where the closing quote is
     */
    private int notPlainString(int from) {
        escaped = false;
        int k = from;
        while (true) {
            int b = d[k] & 0xff;
            if (b == '"') {
                return k;
            }
            if (b == '\\') {
                byte e = d[k + 1];
                if (e != '"' && e != '\\' && e != 'n' && e != 'r' && e != 't' && e != 'b' && e != 'f') {
                    throw DECLINE;
                }
                escaped = true;
                k += 2;
            } else if (b >= 0x80) {
                k = utf8Sequence(k, b);
            } else if (b < 0x20) {
                throw DECLINE; // a raw control character: invalid JSON
            } else {
                k++;
            }
        }
    }

    /**
     * Skips one well-formed UTF-8 sequence (RFC 3629: shortest form, no surrogate, at most U+10FFFF),
     * which Jackson and {@link StandardCharsets#UTF_8} decode alike; anything else is declined.
     *
     * @return where the next character starts
     */
    private int utf8Sequence(int k, int lead) {
        int continuation;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuation = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuation = 2;
            low = lead == 0xE0 ? 0xA0 : 0x80; // no overlong form
            high = lead == 0xED ? 0x9F : 0xBF; // no surrogate
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuation = 3;
            low = lead == 0xF0 ? 0x90 : 0x80; // no overlong form
            high = lead == 0xF4 ? 0x8F : 0xBF; // at most U+10FFFF
        } else {
            throw DECLINE; // a continuation byte, an overlong lead, or beyond Unicode
        }
        int second = d[k + 1] & 0xff;
        if (second < low || second > high) {
            throw DECLINE;
        }
        for (int j = 2; j <= continuation; j++) {
            if ((d[k + j] & 0xC0) != 0x80) {
                throw DECLINE;
            }
        }
        return k + 1 + continuation;
    }

    /** @return the characters of the last scanned string */
    private String stringText() {
        if (plainText) {
            return new String(d, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
        }
        if (!escaped) {
            return new String(d, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[valueEnd - valueStart];
        int n = 0;
        for (int k = valueStart; k < valueEnd; k++) {
            byte b = d[k];
            if (b == '\\') {
                b = switch (d[++k]) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> d[k]; // the quote or the backslash
                };
            }
            bytes[n++] = b;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** @return the position after the run of digits at {@code k}; declines an empty run */
    private int digits(int k) {
        int start = k;
        while (d[k] >= '0' && d[k] <= '9') {
            k++;
        }
        if (k == start) {
            throw DECLINE;
        }
        return k;
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
            k = digits(k);
        } else {
            throw DECLINE;
        }
        int intDigits = k - digitsStart;
        boolean frac = false;
        if (d[k] == '.') {
            frac = true;
            k = digits(k + 1);
        }
        if (d[k] == 'e' || d[k] == 'E') {
            frac = true;
            k++;
            if (d[k] == '+' || d[k] == '-') {
                k++;
            }
            k = digits(k);
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

    /** The value of the last scanned number with a fraction or exponent, as the tree's {@code DoubleNode} holds it. */
    private double parsedFraction() {
        // Jackson's fast parser: correctly rounded, so the same double as Double.parseDouble, several times faster
        double v = NumberInput.parseDouble(new String(d, valueStart, valueEnd - valueStart,
                StandardCharsets.ISO_8859_1), true);
        if (!Double.isFinite(v)) {
            throw DECLINE; // the tree reader refuses it in a field, and writes it as a string in a body
        }
        return v;
    }

    /** A number field: as {@code JsonNode.doubleValue()} of the tree's node; non-finite declined. */
    final double fractional() {
        number();
        return fraction ? parsedFraction() : integer;
    }

    /** A whole-number field: an integer, or an integral fraction below 2^53 ({@link ItemFields#integer}'s rule). */
    final long whole() {
        number();
        if (!fraction) {
            return integer;
        }
        double v = parsedFraction();
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return (long) v;
        }
        throw DECLINE; // the tree reader refuses it
    }

    final Instant timestamp() {
        string();
        if (!plainText) {
            throw DECLINE; // no timestamp the tree reader parses has such characters
        }
        int start = valueStart;
        int length = valueEnd - valueStart;
        if (lastStampStart >= 0 && length == lastStampLength
                && Arrays.equals(d, start, start + length, d, lastStampStart, lastStampStart + length)) {
            return lastInstant;
        }
        Instant at = null;
        if (length <= LoomTimestamps.MAX_COMMON_LENGTH) {
            for (int k = 0; k < length; k++) {
                stampChars[k] = (char) d[start + k]; // ASCII: checked by string()
            }
            at = LoomTimestamps.parseCommon(stampChars, 0, length, zone);
        }
        if (at == null) {
            at = LoomTimestamps.parseIsoTimestamp(new String(d, start, length, StandardCharsets.ISO_8859_1), zone);
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
     * Scans the value at {@code i} (a free-form body) and returns it as compact text: the bytes
     * without whitespace, numbers as the tree writes them, keys checked for duplicates in every object.
     *
     * <p>{@code levels} is a stack of the open containers: each entry holds where the container's
     * keys start in {@code keyStart}/{@code keyLength}, with the sign bit set for an array.
     */
    private String body() {
        int n = 0;
        depth = 0;
        bodyNotPlain = false;
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
                        bodyNotPlain |= !plainText;
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
                        n = copyNumber(n);
                        expectValue = false;
                    }
                }
                if (depth == 0) {
                    break; // the body was a scalar or an empty container
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
        return new String(compact, 0, n, bodyNotPlain ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /**
     * Scans the number at {@code i} and appends it as the tree's number node writes it: an integer
     * as written ({@code -0} is {@code IntNode(0)}: {@code 0}), a fraction as {@link Double#toString}
     * of its value (what the generator writes for a {@code DoubleNode}).
     *
     * @return the new length
     */
    private int copyNumber(int n) {
        number();
        if (fraction) {
            String s = Double.toString(parsedFraction());
            int len = s.length();
            if (n + len + 8 > compact.length) {
                compact = Arrays.copyOf(compact, compact.length * 2 + len);
            }
            for (int k = 0; k < len; k++) {
                compact[n + k] = (byte) s.charAt(k);
            }
            return n + len;
        }
        if (integer == 0) {
            compact[n] = '0'; // also for -0
            return n + 1;
        }
        int len = valueEnd - valueStart;
        if (n + len + 8 > compact.length) {
            compact = Arrays.copyOf(compact, compact.length * 2 + len);
        }
        System.arraycopy(d, valueStart, compact, n, len);
        return n + len;
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
        bodyNotPlain |= !plainText;
        int length = valueEnd - valueStart;
        if (length > MAX_KEY_LENGTH) {
            throw DECLINE; // Jackson limits names
        }
        for (int k = levels[depth - 1] & Integer.MAX_VALUE; k < keys; k++) {
            if (keyLength[k] == length
                    && Arrays.equals(d, keyStart[k], keyStart[k] + length, d, valueStart, valueEnd)) {
                throw DECLINE; // a duplicate key (one form per character: equal bytes are equal keys)
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

    /** Skips whitespace; the common case of none costs no call in C1 code (this is small enough to inline). */
    private void ws() {
        if (i < end && d[i] <= ' ') {
            skipWhitespace();
        }
    }

    private void skipWhitespace() {
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

    private String cachedString() {
        return plainText ? text.ofAscii(d, valueStart, valueEnd - valueStart) : stringText();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
