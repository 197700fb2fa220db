package dev.aml.maintenance;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result (or, for a dry run, the plan) of rotating backups.
 *
 * @param dryRun whether nothing was deleted
 * @param deleted ids deleted (or that would be), oldest first
 * @param kept ids kept, oldest first
 * @param keptBecause for kept backups that retention alone would delete: why they stay (e.g.
 *     {@code "incr_20260130_020000 depends on it"}, {@code "newest full backup"})
 * @param incomplete interrupted backups, neither counted nor deleted (remove them with {@code delete})
 */
public record RotationReport(boolean dryRun, List<String> deleted, List<String> kept, Map<String, String> keptBecause,
        List<String> incomplete) {

    /** Copies the collections; rejects nulls. */
    public RotationReport {
        deleted = List.copyOf(deleted);
        kept = List.copyOf(kept);
        keptBecause = Map.copyOf(Objects.requireNonNull(keptBecause, "keptBecause"));
        incomplete = List.copyOf(incomplete);
    }
}
