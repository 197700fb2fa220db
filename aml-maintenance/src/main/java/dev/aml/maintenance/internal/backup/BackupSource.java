package dev.aml.maintenance.internal.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a backup reads the memory from. The engine stores, compares (SHA-256) and restores files by
 * relative path ({@code coder/patterns.json}); a source says which files the memory consists of at
 * one consistent instant and hands out their bytes:
 * <ul>
 *   <li>{@link TreeSource}: the files of a memory tree on disk (the file store);</li>
 *   <li>{@link StoreSnapshotSource}: a store without a memory root (PostgreSQL, in memory), its
 *       items rendered as the Loom files an export writes.</li>
 * </ul>
 * The engine calls {@link #list()} inside {@link dev.aml.core.MemoryStore#quiesced} and reads every
 * file before that returns, so a backup never mixes two states.
 */
interface BackupSource {

    /** @return the memory root, for a tree on disk; empty for a store without one */
    Optional<Path> root();

    /** @return what a manifest records as the backup's source (a path, or the store's description) */
    String describe();

    /**
     * Chooses how this backup detects unchanged files; called before {@link #list()} (a tree's file
     * system clock is read before any file is).
     *
     * @param config the backup settings
     * @param parent the backup this one builds on, or {@code null} for a full backup
     * @param stats the source of file stat tuples
     * @return the detector
     */
    ChangeDetector changeDetector(dev.aml.maintenance.BackupConfig config, @Nullable Manifest parent,
            ChangeDetector.StatSource stats);

    /**
     * Lists the memory's files now; called inside the store's quiesced state.
     *
     * @return the listing
     * @throws dev.aml.core.BackupException if the memory cannot be listed or read (nothing was written)
     */
    Listing list();

    /**
     * One consistent listing.
     *
     * @param files every file by relative path, sorted
     * @param agents every agent folder (agents without files included)
     * @param itemCounts items per item file, where the source knows them
     * @param counter counts the items of a file the backup reads whose count {@code itemCounts} lacks
     * @param itemsInMemory whether the memory's items are held in memory while the backup runs, so the
     *     backup's own buffers add to a heap that already holds the tree
     */
    record Listing(SortedMap<String, SourceFile> files, List<String> agents, Map<String, Long> itemCounts,
            ItemCounter counter, boolean itemsInMemory) {

        /** A listing of items held in memory whose counts are complete: nothing is counted from bytes. */
        Listing(SortedMap<String, SourceFile> files, List<String> agents, Map<String, Long> itemCounts) {
            this(files, agents, itemCounts, ItemCounter.NONE, true);
        }
    }

    /** Counts the items of one file of the memory from its bytes. */
    @FunctionalInterface
    interface ItemCounter {
        /** Counts nothing: every count the listing lacks stays unknown. */
        ItemCounter NONE = (rel, bytes) -> -1;

        /**
         * Runs on the backup's worker threads.
         *
         * @param rel the file's relative path
         * @param bytes its bytes as backed up
         * @return how many items a store reads from them, or -1 if it is no item file or unreadable
         */
        long count(String rel, byte[] bytes);
    }

    /** One file of the memory. */
    interface SourceFile {

        /**
         * @return the file on disk, which the {@link ChangeDetector} examines; {@code null} for a
         *     rendered file, which is always read and compared by SHA-256
         */
        @Nullable Path path();

        /**
         * @return the file's bytes
         * @throws IOException if the file cannot be read
         */
        byte[] read() throws IOException;
    }
}
