package dev.aml.maintenance.internal.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.aml.core.CorruptDataException;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * File plumbing of monitoring: reading JSON that may be gzip (sniffed by magic bytes), writing
 * atomically with maintenance's {@link AtomicFiles} (temp file in the same directory, fsync, atomic
 * rename, directory fsync; temp files that gc recognises), and a lock
 * around the read-modify-write of the monitoring files (a JVM-wide lock plus a file lock on
 * {@code monitoring/.monitor.lock}, so two processes never interleave their updates).
 */
final class MonitorFiles {

    private static final ObjectWriter PRETTY = Json.MAPPER.writerWithDefaultPrettyPrinter();
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private MonitorFiles() {
    }

    /**
     * @param data file bytes
     * @return whether they start with the gzip magic {@code 1f 8b}
     */
    static boolean isGzip(byte[] data) {
        return AtomicFiles.isGzip(data);
    }

    /**
     * Parses a JSON file, gunzipping it when its bytes are gzip whatever its name.
     *
     * @param file the file
     * @param data its bytes
     * @return the tree
     * @throws CorruptDataException naming the file and the byte offset when it is not valid JSON
     */
    static JsonNode parse(Path file, byte[] data) {
        try (InputStream in = isGzip(data) ? new GZIPInputStream(new ByteArrayInputStream(data))
                : new ByteArrayInputStream(data)) {
            JsonNode node = Json.MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new CorruptDataException(file + " is empty, not JSON; it was left untouched", file, 0,
                        CorruptDataException.PositionKind.BYTE_OFFSET, null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw notJson(file, e);
        } catch (IOException e) {
            throw notDecompressed(file, e);
        }
    }

    /** @return the error for a file that is not valid JSON, naming the byte offset Jackson reported */
    static CorruptDataException notJson(Path file, JsonProcessingException e) {
        long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        return new CorruptDataException(file + " is not valid JSON" + (offset >= 0 ? " at byte " + offset : "")
                + " (" + e.getOriginalMessage() + "); it was left untouched", file, offset,
                CorruptDataException.PositionKind.BYTE_OFFSET, e);
    }

    /** @return the error for a gzip file whose bytes do not decompress */
    static CorruptDataException notDecompressed(Path file, IOException e) {
        return new CorruptDataException(file + " cannot be decompressed (" + e.getMessage()
                + "); it was left untouched", file, -1, CorruptDataException.PositionKind.NONE, e);
    }

    /**
     * @param file a JSON file
     * @return its tree, or empty when the file does not exist
     * @throws CorruptDataException if it exists but cannot be parsed
     */
    static Optional<JsonNode> readIfExists(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(file, data));
    }

    /**
     * Writes {@code tree} as indented JSON, atomically: readers see the old or the new file, never half.
     *
     * @param file the target
     * @param tree the content
     */
    static void writeAtomically(Path file, JsonNode tree) {
        try {
            AtomicFiles.write(file, PRETTY.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code action} holding the monitoring lock of {@code dir} (JVM-wide and across processes).
     *
     * @param dir the monitoring directory, created if needed
     * @param action what to run
     * @param <T> the result type
     * @return the action's result
     */
    static <T> T locked(Path dir, Supplier<T> action) {
        Path key = dir.toAbsolutePath().normalize();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(key);
            try (FileChannel ch = FileChannel.open(key.resolve(".monitor.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + key + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Reads a timestamp in any style Loom writes: {@code Z}, an offset, or naive local time (with 0
     * to 9 fraction digits), which means the machine's local time.
     *
     * @param text the timestamp
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null} when the text is not a timestamp
     */
    static @Nullable Instant parseInstant(@Nullable String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
