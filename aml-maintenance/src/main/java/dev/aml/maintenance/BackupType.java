package dev.aml.maintenance;

/** Kinds of backup, named as in Loom's {@code backup_metadata.json}. */
public enum BackupType {
    /** Every file of the tree. */
    FULL,
    /** Only files changed since the previous backup of the chain; the rest is referenced. */
    INCREMENTAL
}
