package dev.aml.maintenance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a restore.
 *
 * @param backupId the restored backup
 * @param chain the backups applied, full backup first
 * @param target where the files went (the memory root for an in-place restore); {@code null} for an
 *     in-place restore into a store without a memory root (PostgreSQL, in memory)
 * @param inPlace whether the live memory was replaced
 * @param safetyBackupId the backup of the live memory taken before an in-place restore, else {@code null}
 * @param filesRestored files written (each once, whatever the chain length)
 * @param bytesRestored uncompressed bytes written
 * @param itemsRestored items handed to the store by an in-place restore (0 otherwise)
 * @param duration how long it took
 */
public record RestoreReport(String backupId, List<String> chain, @Nullable Path target, boolean inPlace,
        @Nullable String safetyBackupId, int filesRestored, long bytesRestored, long itemsRestored,
        Duration duration) {

    /** Copies the chain; rejects nulls. */
    public RestoreReport {
        Objects.requireNonNull(backupId, "backupId");
        chain = List.copyOf(chain);
        Objects.requireNonNull(duration, "duration");
    }
}
