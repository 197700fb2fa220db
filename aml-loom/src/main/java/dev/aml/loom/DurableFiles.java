package dev.aml.loom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable, atomic file writes: the one implementation every AML module uses to replace a file so
 * that readers and crashes see the old content or the new, never a mix.
 *
 * <h2>The protocol</h2>
 * {@link #write(Path, byte[])} writes the bytes to a new temporary file in the target's directory
 * ({@link #writeNew}: created exclusively, owner-only 0600 on POSIX, forced to disk), renames it over
 * the target atomically ({@link #move}) and then forces the directory ({@link #fsyncDirectory}), so
 * that the rename itself survives a crash. Each step is public because callers with their own crash
 * protocol run them apart: the file store writes all of a checkpoint's temp files, records them in
 * its journal, and only then renames them; an export renames many files and forces each directory
 * once at the end.
 *
 * <h2>What it refuses</h2>
 * A file system that cannot rename atomically is an error ({@link #move} throws), never a silent
 * fallback to a copy that a crash could leave half-written. A directory that cannot be opened (a
 * platform without directory handles, such as Windows) is not forced; a directory force that fails
 * on POSIX is an error.
 */
public final class DurableFiles {

    /** Suffix of the temporary files {@link #write(Path, byte[])} creates: {@code .<name>.<random>.tmp}. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private DurableFiles() {
    }

    /** @return whether the default file system has POSIX permissions */
    public static boolean posix() {
        return POSIX;
    }

    /** @return attributes for a new owner-only file (0600 on POSIX), or none */
    public static FileAttribute<?>[] privateFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /**
     * Replaces {@code target} with {@code data} atomically and durably, through a temporary file
     * {@code .<name>.<random>.tmp} beside it. The target's directory must exist.
     *
     * @param target the file to create or replace
     * @param data its new content
     * @throws IOException if any step fails; the target is then unchanged (or, if only the final
     *     directory force failed, replaced but perhaps not yet durable) and no temporary file is left
     */
    public static void write(Path target, byte[] data) throws IOException {
        Path name = target.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("Not a file: " + target);
        }
        String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
        write(target, target.resolveSibling("." + name + "." + random + TEMP_SUFFIX), data);
    }

    /**
     * Replaces {@code target} with {@code data} atomically and durably, through the caller's temporary
     * file (for callers whose recovery recognises their own temp names). A stale {@code tmp} is
     * deleted first.
     *
     * @param target the file to create or replace
     * @param tmp the temporary file, in the target's directory
     * @param data the new content
     * @throws IOException if any step fails; the target is then unchanged (unless only the final
     *     directory force failed) and {@code tmp} is deleted
     */
    public static void write(Path target, Path tmp, byte[] data) throws IOException {
        Files.deleteIfExists(tmp);
        try {
            writeNew(tmp, data);
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        fsyncDirectory(directoryOf(target));
    }

    /**
     * Writes a new file (owner-only on POSIX) and forces it to disk; no rename, no directory force.
     *
     * @param file the file, which must not exist
     * @param data the content
     * @throws java.nio.file.FileAlreadyExistsException if the file exists
     * @throws IOException if writing or forcing fails
     */
    public static void writeNew(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), privateFile())) {
            writeFully(ch, data, data.length);
            ch.force(true);
        }
    }

    /** Largest slice handed to one channel write; see {@link #writeFully}. */
    private static final int WRITE_SLICE = 1 << 20;

    /**
     * Writes the first {@code length} bytes of {@code data} at the channel's position, in slices of at
     * most 1 MiB. A channel write of a heap buffer is first copied into a temporary direct buffer as
     * large as the write, which the JDK then keeps cached per thread; slicing keeps that native memory
     * at 1 MiB instead of the size of the largest file or journal entry ever written.
     *
     * @param ch an open, writable channel
     * @param data the bytes
     * @param length how many of them, from the start
     * @throws IOException if a write fails
     */
    public static void writeFully(FileChannel ch, byte[] data, int length) throws IOException {
        for (int at = 0; at < length; ) {
            ByteBuffer slice = ByteBuffer.wrap(data, at, Math.min(WRITE_SLICE, length - at));
            while (slice.hasRemaining()) {
                ch.write(slice);
            }
            at = slice.position();
        }
    }

    /**
     * Renames {@code tmp} over {@code target} atomically, without forcing the directory.
     *
     * @param tmp the fully written, forced temporary file
     * @param target the final name, in the same directory
     * @throws IOException if the rename fails (the target is then unchanged), or if the file system
     *     cannot rename atomically
     */
    public static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + target + " cannot rename atomically; AML needs it to write "
                    + "safely", e);
        }
    }

    /**
     * Forces a directory so that creations and renames in it survive a crash. A no-op where
     * directories cannot be opened (Windows).
     *
     * @param dir the directory
     * @throws IOException if the force itself fails on POSIX
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // directories cannot be opened on this platform; the rename itself is still atomic
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            if (POSIX) {
                throw e;
            }
        }
    }

    /**
     * @param target a file
     * @return the directory whose force makes a rename to {@code target} durable
     * @throws IllegalArgumentException if the file has no parent directory
     */
    public static Path directoryOf(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("No directory above " + target);
        }
        return dir;
    }
}
