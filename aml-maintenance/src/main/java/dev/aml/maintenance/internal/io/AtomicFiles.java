package dev.aml.maintenance.internal.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Atomic file writes for pruning and optimization, on top of the backup engine's durable writes:
 * the bytes go to a temporary file in the target's directory, are forced to disk, and the file is
 * renamed over (or, for {@link #writeNew}, linked to) the target; then the directory is forced. A
 * reader sees the old file or the new one, never half of one. Temporary files are named
 * {@code .<name>.<random>.tmp}, which garbage collection recognises as leftovers of a crash.
 */
public final class AtomicFiles {

    /** Suffix of every temporary file AML's maintenance writes. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code data} to {@code target}, replacing it atomically if it exists (the backup
     * engine's durable write).
     *
     * @param target the file
     * @param data the bytes
     * @throws IOException if anything fails; the target is then unchanged
     */
    public static void write(Path target, byte[] data) throws IOException {
        dev.aml.maintenance.internal.backup.AtomicFiles.write(target, data);
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
            dev.aml.maintenance.internal.backup.AtomicFiles.writeDurably(tmp, data);
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
        dev.aml.maintenance.internal.backup.AtomicFiles.fsyncDir(dir);
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
     * @return whether they start with the gzip magic {@code 1f 8b}
     */
    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }
}
