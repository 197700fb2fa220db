/**
 * Implementation of backups: the per-backup manifest (the completion marker and the full file state
 * of the backup), the Loom-compatible registry {@code backup_metadata.json}, id allocation, chain
 * resolution and chain-aware rotation. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.backup;

import org.jspecify.annotations.NullMarked;
