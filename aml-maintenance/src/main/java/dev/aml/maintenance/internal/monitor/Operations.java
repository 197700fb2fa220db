package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.AutoBackupReport;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.PruneStrategy;
import dev.aml.maintenance.OptimizeReport;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The maintenance operations the advisor and the scheduler run, on one manager, each returning a
 * one-line summary. Pruning always takes a backup first (the prune operation does it).
 */
public final class Operations {

    private final MemoryManager aml;

    private Operations(MemoryManager aml) {
        this.aml = Objects.requireNonNull(aml, "aml");
    }

    /**
     * @param aml the manager
     * @return its operations
     */
    public static Operations of(MemoryManager aml) {
        return new Operations(aml);
    }

    /**
     * @param step an advised step
     * @return what it did
     */
    public String run(Advice.Step step) {
        return switch (step.action()) {
            case BACKUP -> backupFull("Pre-prune backup (aml auto)");
            // Advice.apply() runs a prune only after its BACKUP step succeeded, so the prune's own
            // pre-prune backup would be a second copy of the same state.
            case PRUNE -> prune(aml.pruneConfig().toBuilder().createBackup(false).build());
            case PRUNE_AGGRESSIVE -> prune(aggressiveAll(aml.pruneConfig()).toBuilder().createBackup(false).build());
            case REBUILD_INDEX -> rebuildIndex();
            case WARM_CACHE -> warmCache();
        };
    }

    /**
     * @param description shown by {@code backup list}
     * @return what was done
     */
    public String backupFull(String description) {
        BackupInfo b = aml.backups().createFull(description);
        return "created " + b.type().name().toLowerCase(Locale.ROOT) + " backup " + b.id() + " (" + b.fileCount()
                + " files" + (b.verified() ? ", verified" : "") + ")";
    }

    /** @return what was done: a full backup when none is recent, else incremental; then rotation */
    public String backupAuto() {
        AutoBackupReport r = aml.backups().auto();
        return "created backup " + r.backup().id() + " (" + r.reason() + "); rotation deleted "
                + r.rotation().deleted().size();
    }

    /**
     * @param aggressive all strategies with the aggressive limits, instead of time + performance
     * @return what was done
     */
    public String prune(boolean aggressive) {
        return prune(aggressive ? aggressiveAll(aml.pruneConfig()) : aml.pruneConfig());
    }

    private String prune(PruneConfig config) {
        PruneReport r = aml.prune(config).execute();
        return "pruned " + r.itemsPruned() + " items (" + r.itemsArchived() + " archived, " + r.bytesFreed()
                + " bytes freed)" + (r.backupId() == null ? "" : " after backup " + r.backupId())
                + (r.errors().isEmpty() ? "" : "; errors: " + String.join("; ", r.errors()));
    }

    /**
     * @param base the manager's pruning settings
     * @return the matrix's "all strategies, aggressive": {@code base} with every strategy and, where
     *     {@code base} is laxer, the aggressive limits (patterns 60 d, decisions 120 d, success 0.30)
     */
    static PruneConfig aggressiveAll(PruneConfig base) {
        return base.toBuilder().strategies(PruneStrategy.timeBased(), PruneStrategy.performanceBased(),
                        PruneStrategy.spaceBased())
                .patternMaxAgeDays(Math.min(base.patternMaxAgeDays(), PruneConfig.AGGRESSIVE_PATTERN_MAX_AGE_DAYS))
                .decisionMaxAgeDays(Math.min(base.decisionMaxAgeDays(), PruneConfig.AGGRESSIVE_DECISION_MAX_AGE_DAYS))
                .minSuccessRate(Math.max(base.minSuccessRate(), PruneConfig.AGGRESSIVE_MIN_SUCCESS_RATE))
                .build();
    }

    /** @return what was done */
    public String rebuildIndex() {
        return summary(aml.optimize().rebuildIndex());
    }

    /** @return what was done */
    public String warmCache() {
        return summary(aml.optimize().warmCache());
    }

    /** @return what was done */
    public String optimizeAll() {
        return summary(aml.optimize().all());
    }

    private static String summary(OptimizeReport r) {
        if (!r.ok()) {
            List<String> errors = new java.util.ArrayList<>(r.errors());
            r.steps().forEach(s -> errors.addAll(s.errors()));
            throw new IllegalStateException(r.operation() + " failed: " + String.join("; ", errors));
        }
        return r.operation() + " " + r.counts() + " in " + r.durationMillis() + " ms";
    }
}
