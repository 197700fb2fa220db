package dev.aml.maintenance;

import java.util.Objects;

/**
 * The result of {@link Backups#auto()}: which backup was taken, why, and what rotation did afterwards.
 *
 * @param backup the backup taken
 * @param reason why this type was chosen, e.g. {@code "no full backup yet"}
 * @param rotation the rotation that followed
 */
public record AutoBackupReport(BackupInfo backup, String reason, RotationReport rotation) {

    /** Rejects nulls. */
    public AutoBackupReport {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(rotation, "rotation");
    }
}
