package dev.aml.maintenance;

import dev.aml.core.MaintenanceLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Backups of one memory, kept in the backup root ({@code memory-backup/} beside the memory root
 * by default) in Loom's layout: {@code full_YYYYMMDD_HHMMSS/}, {@code incr_…/} and
 * {@code backup_metadata.json}. Obtained from {@code MemoryManager.backups()}.
 *
 * <p>A store without a memory root (PostgreSQL, in memory) has no default backup root: set
 * {@link BackupConfig#backupRoot()}. Its backups are logical: the store's items, from one snapshot,
 * as the Loom files {@code JdbcMemoryStore.exportTo} writes, so {@link #restore(String, Path)} into
 * a new folder gives a Loom tree. Physical backups of PostgreSQL stay the database's job
 * ({@code pg_dump}, base backups with WAL archiving).
 *
 * <p>Every operation that changes the backup root or the memory holds the store's maintenance lock,
 * so two maintenance operations never overlap. A backup captures one checkpointed state of the store
 * ({@link dev.aml.core.MemoryStore#quiesced}). A backup interrupted by a crash is listed as
 * incomplete and ignored by restore, verify and rotation.
 */
public interface Backups {

    /**
     * Takes a full backup of a consistent state of the store and verifies it.
     *
     * @param description why it is taken, shown by {@code backup list} (e.g. {@code "Pre-prune backup"})
     * @return the registered backup
     * @throws dev.aml.core.BackupException if it could not be created or verified; the live tree is untouched
     * @throws dev.aml.core.ConcurrentOperationException if another maintenance operation is running
     */
    BackupInfo createFull(String description);

    /**
     * Takes a full backup on behalf of an operation that already holds the maintenance lock (prune,
     * migrate, restore take their safety backup this way).
     *
     * @param description why it is taken (e.g. {@code "Pre-prune backup"})
     * @param held the caller's maintenance lock of this memory
     * @return the registered backup
     * @throws dev.aml.core.BackupException if it could not be created or verified; the live tree is untouched
     */
    BackupInfo createFull(String description, MaintenanceLock held);

    /**
     * Takes an incremental backup: only files whose content (SHA-256 of the uncompressed bytes)
     * changed since the newest complete backup are stored; unchanged files are referenced and
     * deleted files recorded. Falls back to a full backup when there is none yet.
     *
     * @param description why it is taken; may be empty
     * @return the registered backup
     * @throws dev.aml.core.BackupException if it could not be created or verified; the live tree is untouched
     */
    BackupInfo createIncremental(String description);

    /**
     * Takes a full backup when none exists, when the newest full one is older than
     * {@link BackupConfig#fullBackupMaxAge()}, when the newest chain has
     * {@link BackupConfig#maxChainLength()} incrementals, or when incrementals are disabled; else an
     * incremental. Then rotates.
     *
     * @return what was taken, why, and what rotation did
     */
    AutoBackupReport auto();

    /** @return every backup (complete or not), newest first */
    List<BackupInfo> list();

    /**
     * @param id a backup id
     * @return the backup, if it exists (complete or not)
     */
    Optional<BackupInfo> find(String id);

    /**
     * Verifies a backup: decompresses every file it needs, recomputes each SHA-256 and checks the
     * chain back to its full backup.
     *
     * @param id the backup
     * @param drill also restore the chain into a temporary folder and parse every item file
     * @return the report; {@link VerifyReport#ok()} tells whether the backup is good
     * @throws dev.aml.core.BackupException if the backup does not exist
     */
    VerifyReport verify(String id, boolean drill);

    /**
     * Restores a backup (applying its chain). With a {@code target} other than the memory root, the
     * files are written into that new (absent or empty) folder, which appears complete or not at
     * all. With the memory root as target, the live memory is replaced in place through the store,
     * after a safety backup and while holding the maintenance lock.
     *
     * @param id the backup
     * @param target a new folder, or the memory root for an in-place restore
     * @return the report
     * @throws dev.aml.core.BackupException if the backup is missing, incomplete or damaged (nothing is changed)
     */
    RestoreReport restore(String id, Path target);

    /**
     * Replaces the live memory with a backup, after a safety backup and while holding the maintenance
     * lock. For a memory tree this is {@code restore(id, root)}. For a store without a memory root
     * (PostgreSQL, in memory) every agent's items become the backup's in one atomic batch through
     * the store (one transaction on PostgreSQL, seen by every host at once); agents the backup does
     * not know are emptied. Writes that agents make between the safety backup and that batch are
     * overwritten: pause the agents for an exact undo.
     *
     * @param id the backup
     * @return the report, naming the safety backup
     * @throws dev.aml.core.BackupException if the backup is missing, incomplete, damaged, or (for a store
     *     without a root) holds files that are not readable items; nothing is changed
     */
    RestoreReport restoreInPlace(String id);

    /**
     * {@link #restoreInPlace(String)} of the newest complete backup taken at or before {@code instant}.
     *
     * @param instant the point in time
     * @return the report
     * @throws dev.aml.core.BackupException if no backup is that old
     */
    RestoreReport restoreInPlaceAt(Instant instant);

    /**
     * Restores the newest complete backup taken at or before {@code instant}.
     *
     * @param instant the point in time
     * @param target a new folder, or the memory root for an in-place restore
     * @return the report
     * @throws dev.aml.core.BackupException if no backup is that old
     */
    RestoreReport restoreAt(Instant instant, Path target);

    /**
     * Deletes backups older than {@link BackupConfig#retentionDays()} and beyond
     * {@link BackupConfig#maxBackups()}, oldest first, but never the newest full backup and never a
     * backup that a kept incremental depends on.
     *
     * @param dryRun report the plan without deleting anything
     * @return what was (or would be) deleted and kept
     */
    RotationReport rotate(boolean dryRun);

    /**
     * Deletes one backup.
     *
     * @param id the backup
     * @throws dev.aml.core.BackupException if a complete backup depends on it (named in the message)
     */
    void delete(String id);

    /**
     * Rebuilds {@code backup_metadata.json} from the manifests inside the backup folders, for
     * example after the file was damaged; a damaged file is kept beside it as
     * {@code backup_metadata.json.damaged-<time>}.
     *
     * @return the backups now registered, newest first
     */
    List<BackupInfo> reindex();

    /** @return the backup root */
    Path root();
}
