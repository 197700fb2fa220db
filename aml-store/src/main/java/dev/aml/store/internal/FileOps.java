package dev.aml.store.internal;

import dev.aml.loom.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file-system steps of a durable replacement, as a seam: checkpoints and journal trims call
 * them through this interface so that tests can make one step fail (a full disk while writing the
 * temp file, a refused rename, a failed directory fsync) and check that the store's memory still
 * matches the disk afterwards. Production code uses {@link #SYSTEM}; this package is not exported.
 */
public interface FileOps {

    /** The real file system, through {@link DurableFiles}. */
    FileOps SYSTEM = new FileOps() {
        @Override
        public void writeDurably(Path tmp, byte[] data) throws IOException {
            Files.deleteIfExists(tmp);
            DurableFiles.writeNew(tmp, data);
        }

        @Override
        public void move(Path tmp, Path target) throws IOException {
            DurableFiles.move(tmp, target);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            DurableFiles.fsyncDirectory(dir);
        }

        @Override
        public String toString() {
            return "FileOps.SYSTEM";
        }
    };

    /**
     * Writes a new temp file (replacing a stale one of the same name) and fsyncs it.
     *
     * @param tmp the temp file, in the directory of the final file
     * @param data the content
     * @throws IOException if writing or fsync fails
     */
    void writeDurably(Path tmp, byte[] data) throws IOException;

    /**
     * Renames {@code tmp} over {@code target} atomically, without fsyncing the directory.
     *
     * @param tmp the fully written, fsynced temp file
     * @param target the final name, in the same directory
     * @throws IOException if the rename fails (the target is then unchanged)
     */
    void move(Path tmp, Path target) throws IOException;

    /**
     * Fsyncs a directory so that renames in it survive a crash.
     *
     * @param dir the directory
     * @throws IOException if the fsync fails
     */
    void fsyncDirectory(Path dir) throws IOException;

    /**
     * The directory whose fsync makes a rename to {@code target} durable.
     *
     * @param target a file
     * @return its parent directory
     */
    static Path directoryOf(Path target) {
        return DurableFiles.directoryOf(target);
    }
}
