package dev.aml.maintenance.internal.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Atomic file writes: the bytes go to a temporary file in the target's directory, are forced to
 * disk, and the file is renamed over (or, for {@link #writeNew}, linked to) the target; then the
 * directory is forced so the rename itself survives a crash. A reader sees the old file or the new
 * one, never half of one. Temporary files are named {@code .<name>.<random>.aml-tmp} so that
 * garbage collection can recognise leftovers of a crash.
 */
public final class AtomicFiles {

    /** Suffix of every temporary file AML's maintenance writes. */
    public static final String TEMP_SUFFIX = ".aml-tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code data} to {@code target}, replacing it atomically if it exists.
     *
     * @param target the file
     * @param data the bytes
     * @throws IOException if anything fails; the target is then unchanged
     */
    public static void write(Path target, byte[] data) throws IOException {
        Path tmp = temp(target, data);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Writes {@code data} to {@code target}, which must not exist; never replaces a file.
     *
     * @param target the file
     * @param data the bytes
     * @throws FileAlreadyExistsException if the target exists
     * @throws IOException if anything else fails; no target is then created
     */
    public static void writeNew(Path target, byte[] data) throws IOException {
        Path tmp = temp(target, data);
        try {
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
        forceDirectory(target.toAbsolutePath().getParent());
    }

    private static Path temp(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /**
     * Forces a directory's entries to disk where the platform allows it.
     *
     * @param dir the directory
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or force a directory; the rename is still atomic there.
        }
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
