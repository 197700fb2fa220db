package dev.aml.loom;

import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.loom.internal.ItemCodec;
import dev.aml.loom.internal.LoomTimestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes Loom item files ({@code patterns.json}, {@code solutions.json},
 * {@code decisions.json}) and single items.
 *
 * <h2>Reading is tolerant</h2>
 * <ul>
 *   <li>plain UTF-8 JSON, or gzip / LZ4-frame bytes recognised by their magic bytes whatever the
 *       file is called (Loom's TypeScript runtime writes gzip into {@code patterns.json});</li>
 *   <li>camelCase and snake_case for every field ({@code wouldRepeat}/{@code would_repeat},
 *       {@code successRate}/{@code success_rate}, …);</li>
 *   <li>timestamps naive ({@code 2026-01-02T03:04:05}, 0/3/6/9 fraction digits; local time in
 *       {@link #zone()}), with {@code Z}, or with {@code ±hh:mm};</li>
 *   <li>Loom's 2.0.0 pattern shape ({@code performance.success_rate}, {@code lifecycle.*});</li>
 *   <li>missing fields take LOOM-FORMAT Decision 6 defaults (successRate 1.0, executionCount 0,
 *       confidence 1.0, worked true, wouldRepeat true, active true, no tags).</li>
 * </ul>
 * Unknown fields, at the top level and inside {@code metrics}, {@code evolution},
 * {@code effectiveness} and {@code outcome}, go to the records' {@code extra} and are written back
 * verbatim. A timestamp that does not parse is kept as written (in {@code extra} under its key) and
 * the typed field is {@code null}, so a read-write-read round trip is always equal.
 *
 * <h2>Reading is strict about damage</h2>
 * Data that is not valid JSON, not an array, holds an element of the wrong type (a non-object
 * element, {@code successRate: "abc"}, {@code tags} that are not strings…), invalid UTF-8, or
 * truncated/damaged gzip raises {@link CorruptDataException} naming the file and the byte offset
 * or element index. Damaged data is never read as an empty list.
 *
 * <h2>Writing</h2>
 * camelCase shapes of Loom's TypeScript runtime, plain UTF-8, arrays indented by two spaces like
 * {@code JSON.stringify(items, null, 2)}; timestamps per {@link #timestampStyle()}. A pattern whose
 * extra says {@code "version": "2.0.0"} is written in the 2.0.0 shape, so a migrated tree stays
 * 2.0.0.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LoomJson {

    private static final LoomJson DEFAULTS = new LoomJson(TimestampStyle.UTC_Z, ZoneId.systemDefault());

    private final ItemCodec codec;

    private LoomJson(TimestampStyle style, ZoneId zone) {
        this.codec = new ItemCodec(style, zone);
    }

    /** @return the default codec: writes {@link TimestampStyle#UTC_Z}; naive timestamps are the system zone's */
    public static LoomJson defaults() {
        return DEFAULTS;
    }

    /**
     * @param style how to write timestamps
     * @return a codec with that style; naive timestamps are in the system zone
     */
    public static LoomJson of(TimestampStyle style) {
        return of(style, ZoneId.systemDefault());
    }

    /**
     * @param style how to write timestamps
     * @param zone the zone naive timestamps are read in, and written in by {@link TimestampStyle#NAIVE_LOCAL}
     * @return a codec with those settings
     */
    public static LoomJson of(TimestampStyle style, ZoneId zone) {
        return new LoomJson(Objects.requireNonNull(style, "style"), Objects.requireNonNull(zone, "zone"));
    }

    /** @return how timestamps are written */
    public TimestampStyle timestampStyle() {
        return codec.style();
    }

    /** @return the zone of naive timestamps */
    public ZoneId zone() {
        return codec.zone();
    }

    /**
     * Reads an item file.
     *
     * @param file the file ({@code patterns.json} …), plain, gzip or LZ4
     * @param kind the kind of its items
     * @return the items, in file order
     * @throws CorruptDataException if the file is damaged (naming the file and the byte offset or element index)
     * @throws UncheckedIOException if the file cannot be read (missing, permissions)
     */
    public List<MemoryItem> read(Path file, ItemKind kind) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e, e);
        }
        return codec.readArray(data, kind, file, file.toString());
    }

    /**
     * Reads the bytes of an item file.
     *
     * @param data the bytes, plain, gzip or LZ4
     * @param kind the kind of the items
     * @param name the file name or another description, for error messages
     * @return the items, in order
     * @throws CorruptDataException if the data is damaged
     */
    public List<MemoryItem> read(byte[] data, ItemKind kind, String name) {
        return codec.readArray(data, kind, pathOrNull(name), name);
    }

    /**
     * @param items the items of one file, all of one kind
     * @return the file's bytes: a plain UTF-8 JSON array, Loom's indentation, no trailing newline
     */
    public byte[] write(List<? extends MemoryItem> items) {
        return codec.writeArray(items);
    }

    /**
     * Streams the file's bytes, e.g. through a {@link CompressionCodec}.
     *
     * @param items the items of one file
     * @param out where to write; it is flushed but not closed
     * @throws IOException if writing fails
     */
    public void write(List<? extends MemoryItem> items, OutputStream out) throws IOException {
        codec.writeArray(items, out);
        out.flush();
    }

    /**
     * @param item one item
     * @return the item as one compact UTF-8 JSON object (the journal and backups store items this way)
     */
    public byte[] writeItem(MemoryItem item) {
        return codec.writeItem(item);
    }

    /**
     * @param json one item as a compact or pretty JSON object, UTF-8
     * @param kind its kind
     * @param name a description for error messages
     * @return the item
     * @throws CorruptDataException if the JSON is invalid or not a valid item of that kind
     */
    public MemoryItem readItem(byte[] json, ItemKind kind, String name) {
        return codec.readItem(json, kind, name);
    }

    /**
     * @param instant an instant
     * @return it as this codec writes timestamps (lossless: more than 3 fraction digits only when needed)
     */
    public String formatTimestamp(Instant instant) {
        return codec.formatTimestamp(instant);
    }

    /**
     * @param text a timestamp in any style Loom writes
     * @return the instant, empty if the text is not a timestamp
     */
    public Optional<Instant> parseTimestamp(String text) {
        return Optional.ofNullable(LoomTimestamps.parseTimestamp(text, codec.zone()));
    }

    @Override
    public String toString() {
        return "LoomJson[" + codec.style() + ", " + codec.zone() + "]";
    }

    private static @Nullable Path pathOrNull(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
