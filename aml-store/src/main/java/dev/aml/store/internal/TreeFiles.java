package dev.aml.store.internal;

import dev.aml.loom.DurableFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * File-system primitives of the store beyond {@link DurableFiles} (which writes, renames and fsyncs):
 * private directories (0700 on POSIX, their creation fsynced) and file identity for external-edit
 * detection.
 */
public final class TreeFiles {

    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");

    private TreeFiles() {
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
            if (DurableFiles.posix()) {
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
            DurableFiles.fsyncDirectory(parent);
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
