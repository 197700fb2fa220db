package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.MemoryManager;
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
            case PRUNE -> prune(false);
            case PRUNE_AGGRESSIVE -> prune(true);
            case REBUILD_INDEX -> rebuildIndex();
            case WARM_CACHE -> warmCache();
        };
    }

    /**
     * @param description shown by {@code backup list}
     * @return what was done
     */
    public String backupFull(String description) {
        throw missing("backup");
    }

    /** @return what was done: a full backup when none is recent, else incremental; then rotation */
    public String backupAuto() {
        throw missing("backup auto");
    }

    /**
     * @param aggressive all strategies with the aggressive limits, instead of time + performance
     * @return what was done
     */
    public String prune(boolean aggressive) {
        throw missing("prune");
    }

    /** @return what was done */
    public String rebuildIndex() {
        throw missing("optimize index");
    }

    /** @return what was done */
    public String warmCache() {
        throw missing("optimize warm-cache");
    }

    /** @return what was done */
    public String optimizeAll() {
        throw missing("optimize all");
    }

    private UnsupportedOperationException missing(String what) {
        return new UnsupportedOperationException("'" + what + "' is not available in this build of "
                + aml.store().describe());
    }
}
