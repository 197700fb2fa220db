package dev.aml.maintenance;

import java.util.List;

/**
 * Backups of one memory tree. Obtained from {@code MemoryManager.backups()}.
 *
 * <p>SKELETON for issue #7, which adds the remaining operations (incremental, auto, verify, restore,
 * point-in-time restore, rotate, delete, reindex). The pruning issue (#6) relies on
 * {@link #createFull(String)} for its pre-prune backup.
 */
public interface Backups {

    /**
     * Takes a full backup of a consistent state of the store and verifies it.
     *
     * @param description why it is taken, shown by {@code backup list} (e.g. {@code "Pre-prune backup"})
     * @return the registered backup
     * @throws dev.aml.core.BackupException if it could not be created or verified; the live tree is untouched
     */
    BackupInfo createFull(String description);

    /** @return every registered backup, newest first */
    List<BackupInfo> list();
}
