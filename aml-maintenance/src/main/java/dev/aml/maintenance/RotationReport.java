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
 * @param decisions every complete backup, newest first: kept or removed, and the rules that decided it
 */
public record RotationReport(boolean dryRun, List<String> deleted, List<String> kept, Map<String, String> keptBecause,
        List<String> incomplete, List<Decision> decisions) {

    /** Copies the collections; rejects nulls. */
    public RotationReport {
        deleted = List.copyOf(deleted);
        kept = List.copyOf(kept);
        keptBecause = Map.copyOf(Objects.requireNonNull(keptBecause, "keptBecause"));
        incomplete = List.copyOf(incomplete);
        decisions = List.copyOf(decisions);
    }

    /**
     * A report without per-backup decisions.
     *
     * @param dryRun whether nothing was deleted
     * @param deleted ids deleted, oldest first
     * @param kept ids kept, oldest first
     * @param keptBecause why backups outside the policy are kept
     * @param incomplete interrupted backups
     */
    public RotationReport(boolean dryRun, List<String> deleted, List<String> kept, Map<String, String> keptBecause,
            List<String> incomplete) {
        this(dryRun, deleted, kept, keptBecause, incomplete, List.of());
    }

    /**
     * What rotation decided for one backup.
     *
     * @param backupId the backup
     * @param keep whether it stays
     * @param rules for a kept backup, every rule that keeps it ({@code "keep_daily (2026-12-05)"},
     *     {@code "retention_days (younger than 30 days)"}, {@code "newest verified full backup"},
     *     {@code "needed by incr_…"}); for a removed one, why no rule keeps it
     */
    public record Decision(String backupId, boolean keep, List<String> rules) {
        /** Copies the list; rejects nulls. */
        public Decision {
            Objects.requireNonNull(backupId, "backupId");
            rules = List.copyOf(rules);
        }
    }
}
