package dev.aml.maintenance;

/**
 * Schema migrations of a Loom memory tree: 1.0.0 → 1.1.0 → 1.2.0 → 2.0.0, one step at a time.
 * Obtained from {@code MemoryManager.migrations()}.
 *
 * <p>A migration reads and checks every item file first (a file that cannot be parsed stops it
 * before anything is written), takes a full backup, rewrites the files atomically, and records the
 * step in {@code config/schema_version.json}, keeping the migration history. If anything fails
 * after the first write, every file is rolled back from that backup to its exact previous bytes.
 * Re-running a migration to the version the tree already has does nothing.
 *
 * <p>Migrations rewrite files, not the store's in-memory items: a store that has the tree open in
 * this process keeps its old view, so reopen it after migrating (the CLI always does).
 */
public interface Migrations {

    /**
     * Detects the tree's version: from {@code config/schema_version.json} when it exists and names a
     * known version; otherwise from the data: every pattern of every agent is classified (2.0.0 if
     * its {@code version} is {@code "2.0.0"}; 1.2.0 if it has {@code metadata}; 1.1.0 if it has both
     * {@code tags} and {@code active}; else 1.0.0) and the tree's version is the <em>oldest</em>
     * found, so no item is left behind (Loom looked at the first pattern of the first agent only).
     * Without patterns, solutions and decisions are classified the same way ({@code version},
     * {@code metadata}, {@code tags}); an empty tree is 1.0.0.
     *
     * @return the version, its source and any notes
     * @throws dev.aml.core.CorruptDataException if detection must look at data that cannot be parsed
     */
    SchemaDetection detect();

    /**
     * Migrates to {@code target} (see the class description).
     *
     * @param target the version to reach
     * @return the report (with {@link MigrationReport#alreadyCurrent()} when nothing was needed)
     * @throws dev.aml.core.MigrationException if the target is older than the tree, a file cannot be
     *     parsed or lacks a required field (nothing written), or a write failed (rolled back; the
     *     message names the backup)
     */
    MigrationReport migrate(SchemaVersion target);

    /**
     * Plans a migration without writing anything.
     *
     * @param target the version to reach
     * @return what would change
     * @throws dev.aml.core.MigrationException as {@link #migrate}, for problems found while planning
     */
    MigrationReport dryRun(SchemaVersion target);
}
