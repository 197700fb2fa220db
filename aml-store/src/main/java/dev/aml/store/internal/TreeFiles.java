package dev.aml.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * File-system primitives of the store: private directories and files (0700/0600 on POSIX), durable
 * atomic replacement (temp file in the same directory, fsync, rename, directory fsync) and file
 * identity for external-edit detection.
 */
public final class TreeFiles {

    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
            .contains("posix");
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private TreeFiles() {
    }

    /** @return whether the default file system has POSIX permissions */
    public static boolean posix() {
        return POSIX;
    }

    /**
     * Creates a directory and its missing parents; new directories get mode 0700 on POSIX.
     *
     * @param dir the directory
     * @throws IOException if it cannot be created
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createPrivateDirectories(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return;
        }
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    /** @return attributes for a new private file (0600 on POSIX), or none */
    public static FileAttribute<?>[] privateFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMS)}
                : new FileAttribute<?>[0];
    }

    /**
     * Writes {@code data} to a new temp file {@code tmp} (0600) and fsyncs it.
     *
     * @param tmp the temp file, in the directory of the final file
     * @param data the content
     * @throws IOException if writing fails
     */
    public static void writeDurably(Path tmp, byte[] data) throws IOException {
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), privateFile())) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Atomically replaces {@code target} with {@code tmp} and fsyncs the directory.
     *
     * @param tmp the fully written, fsynced temp file
     * @param target the final name, in the same directory
     * @throws IOException if the rename fails
     */
    public static void commit(Path tmp, Path target) throws IOException {
        move(tmp, target);
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            fsyncDirectory(dir);
        }
    }

    /**
     * Atomically renames {@code tmp} over {@code target}, without fsyncing the directory.
     *
     * @param tmp the fully written, fsynced temp file
     * @param target the final name, in the same directory
     * @throws IOException if the rename fails; the target is then unchanged
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
     * Atomic durable replacement in one step: temp file, fsync, rename, directory fsync.
     *
     * @param target the file to replace
     * @param data its new content
     * @throws IOException if any step fails; the old file is then unchanged
     */
    public static void replaceAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".aml-tmp");
        writeDurably(tmp, data);
        try {
            commit(tmp, target);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Fsyncs a directory so that a rename or creation in it survives a crash. A no-op on file
     * systems that cannot open directories (Windows).
     *
     * @param dir the directory
     * @throws IOException if the fsync itself fails
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // not supported on this platform
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
     * What a file looked like, to notice when another program replaces or rewrites it.
     *
     * @param exists whether it existed
     * @param size its size in bytes
     * @param modified its modification time
     * @param key its file key (inode), if the platform has one
     */
    public record FileState(boolean exists, long size, @Nullable FileTime modified, @Nullable Object key) {

        /** The state of a missing file. */
        public static final FileState ABSENT = new FileState(false, 0, null, null);

        /**
         * @param file a file
         * @return its current state (ABSENT if it does not exist)
         * @throws IOException if its attributes cannot be read
         */
        public static FileState of(Path file) throws IOException {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                return ABSENT;
            }
            return new FileState(true, a.size(), a.lastModifiedTime(), a.fileKey());
        }

        /**
         * @param other the state now
         * @return whether the file was changed, created, deleted or replaced between the two
         */
        public boolean changedTo(FileState other) {
            return exists != other.exists || size != other.size || !Objects.equals(modified, other.modified)
                    || !Objects.equals(key, other.key);
        }

        /** @return a short description for messages */
        public String describe() {
            return exists ? size + " bytes, modified " + modified : "absent";
        }
    }
}
