package dev.aml.maintenance.internal.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable file writes: temp file in the same folder, fsync, atomic rename, folder fsync. Files are
 * created readable and writable by their owner only (0600) on POSIX systems, like the store's own.
 */
public final class AtomicFiles {

    private static final FileAttribute<?>[] PRIVATE_FILE = java.nio.file.FileSystems.getDefault()
            .supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            writeDurably(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDir(dir);
    }

    /**
     * Writes a new file and fsyncs it (no rename: for files whose folder is published later).
     *
     * @param file the file, which must not exist
     * @param bytes the content
     * @throws IOException if writing fails
     */
    public static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PRIVATE_FILE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
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
}
