package dev.aml.maintenance.internal.io;

import dev.aml.loom.CompressionCodec;
import dev.aml.loom.DurableFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Maintenance's file writes (backups, prune, optimize, migrate, monitor) on top of the one durable,
 * atomic write of all modules, {@link DurableFiles}: the bytes go to a temporary file in the target's
 * directory, are forced to disk, and the file is renamed over (or, for {@link #writeNew}, linked to)
 * the target; then the directory is forced. Files are created readable and writable by their owner
 * only (0600) on POSIX systems, like the store's own. A reader sees the old file or the new one, never
 * half of one. Temporary files are named {@code .<name>.<random>.tmp}, which garbage collection
 * recognises as leftovers of a crash. Added here: creating missing folders, the never-overwriting
 * {@link #writeNew}, and in-memory gzip.
 */
public final class AtomicFiles {

    /** Suffix of every temporary file AML's maintenance writes. */
    public static final String TEMP_SUFFIX = DurableFiles.TEMP_SUFFIX;

    private AtomicFiles() {
    }

    /**
     * Replaces {@code file} with {@code bytes} so that readers and crashes see the old or the new
     * content, never a mix.
     *
     * @param file the file
     * @param bytes its new content
     * @throws IOException if writing fails; {@code file} is then unchanged
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        DurableFiles.write(file, bytes);
    }

    /**
     * Writes a new file and fsyncs it (no rename: for files whose folder is published later).
     *
     * @param file the file, which must not exist
     * @param bytes the content
     * @throws IOException if writing fails
     */
    public static void writeDurably(Path file, byte[] bytes) throws IOException {
        DurableFiles.writeNew(file, bytes);
    }

    /**
     * Forces a written file's content to disk.
     *
     * @param file the file
     * @throws IOException if it cannot be opened or forced
     */
    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Makes a folder's entries (creations, renames) durable; a no-op where folders cannot be opened.
     *
     * @param dir the folder
     */
    public static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms (Windows) cannot open folders; the rename itself is still atomic there.
        }
    }

    /**
     * Writes {@code data} to {@code target}, which must not exist; never replaces a file: the
     * temporary file is hard-linked to the target, which fails if the target appeared meanwhile.
     *
     * @param target the file
     * @param data the bytes
     * @throws FileAlreadyExistsException if the target exists
     * @throws IOException if anything else fails; no target is then created
     */
    public static void writeNew(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + TEMP_SUFFIX);
        try {
            writeDurably(tmp, data);
            try {
                Files.createLink(target, tmp);
            } catch (UnsupportedOperationException e) {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDir(dir);
    }

    /**
     * @param data bytes
     * @param level gzip level 1..9
     * @return the gzip of the bytes
     */
    public static byte[] gzip(byte[] data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("gzip to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * @param data gzip bytes
     * @return the uncompressed bytes
     * @throws IOException if the data is not valid gzip
     */
    public static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    /**
     * @param data bytes
     * @return whether they start with the gzip magic {@code 1f 8b} (the one detection: the Loom
     *     format's {@link CompressionCodec#gzip()})
     */
    public static boolean isGzip(byte[] data) {
        return CompressionCodec.gzip().matches(data);
    }
}
