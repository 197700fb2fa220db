package dev.aml.maintenance;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result (or, for a dry run, the plan) of a schema migration.
 *
 * @param from the version before
 * @param to the version requested
 * @param steps the steps applied (or planned), e.g. {@code "1.0.0 -> 1.1.0"}
 * @param dryRun whether nothing was written
 * @param itemsMigrated distinct items whose JSON changed
 * @param filesUpdated item files rewritten (or that would be)
 * @param fileChanges one line per file that changes, e.g. {@code "coder/patterns.json: 12 of 12 items"}
 * @param backupId the full backup taken before the first step, {@code null} for dry runs and no-ops
 * @param duration how long it took
 */
public record MigrationReport(SchemaVersion from, SchemaVersion to, List<String> steps, boolean dryRun,
        long itemsMigrated, int filesUpdated, List<String> fileChanges, @Nullable String backupId, Duration duration) {

    /** Copies the lists; rejects nulls. */
    public MigrationReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        steps = List.copyOf(steps);
        fileChanges = List.copyOf(fileChanges);
        Objects.requireNonNull(duration, "duration");
    }

    /** @return whether the tree already was at the requested version (nothing to do) */
    public boolean alreadyCurrent() {
        return steps.isEmpty();
    }
}
