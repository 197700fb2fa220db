package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.maintenance.internal.io.OrderedParallel;
import dev.aml.maintenance.internal.prune.DecisionArchiver;
import dev.aml.maintenance.internal.prune.ItemSizer;
import dev.aml.maintenance.internal.prune.PrunePlanner;
import dev.aml.maintenance.internal.prune.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One prune of one memory, configured: {@link #dryRun()} shows what would go, {@link #execute()}
 * removes it. Obtained from {@code MemoryManager.prune(config)}.
 *
 * <h2>How execute() keeps memories safe</h2>
 * <ol>
 *   <li>It takes the store's maintenance lock, so no other maintenance runs meanwhile.</li>
 *   <li>It reads a snapshot and plans, exactly as {@link #dryRun()} does. Agents whose files cannot
 *       be read are skipped and reported, never pruned around. If nothing is to be removed, it stops
 *       here (no backup is taken).</li>
 *   <li>Unless {@link PruneConfig#createBackup()} is off, it takes a full backup labelled
 *       {@code "Pre-prune backup …"} ({@code aml <path> backup list | grep Pre-prune} finds it). If the
 *       backup fails, the {@link BackupException} propagates and nothing is removed.</li>
 *   <li>If an agent changed since the snapshot (an agent recorded something meanwhile), it plans
 *       again from a new snapshot, at most three times.</li>
 *   <li>Decisions to remove are written to {@code memory-backup/archives/<agent>/} and read back;
 *       if that fails, nothing is removed.</li>
 *   <li>The whole plan is applied as one atomic batch: for every agent and kind with removals, one
 *       {@link Change#replaceAll} with the survivors in their original order. Then the store
 *       checkpoints, so the files on disk shrink.</li>
 * </ol>
 */
public final class PruneOperation {

    private static final int MAX_ATTEMPTS = 3;

    private final MemoryStore store;
    private final Clock clock;
    private final PruneConfig config;
    private final Supplier<@Nullable Backups> backups;
    private final ItemSizer sizer;

    PruneOperation(MemoryStore store, Clock clock, PruneConfig config, Supplier<@Nullable Backups> backups,
            ItemSizer sizer) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.sizer = Objects.requireNonNull(sizer, "sizer");
    }

    /**
     * @param store the store
     * @param clock the clock
     * @param config the configuration
     * @param backups the backup engine, or a supplier of {@code null} when there is none
     * @return an operation using the standard item sizes
     */
    static PruneOperation of(MemoryStore store, Clock clock, PruneConfig config, Supplier<@Nullable Backups> backups) {
        return new PruneOperation(store, clock, config, backups, ItemSizer.standard());
    }

    /** @return the configuration */
    public PruneConfig config() {
        return config;
    }

    /**
     * Reads the store and plans; changes nothing and takes no lock.
     *
     * @return the plan
     */
    public PrunePlan plan() {
        return PrunePlanner.plan(Snapshot.take(store, config), config, clock.instant(), sizer);
    }

    /**
     * Plans and reports what {@link #execute()} would remove. Nothing on disk or in the store changes.
     *
     * @return the report, with {@link PruneReport#dryRun()} true
     */
    public PruneReport dryRun() {
        long t0 = System.nanoTime();
        PrunePlan plan = plan();
        List<String> warnings = new ArrayList<>();
        if (!plan.isEmpty() && !config.createBackup()) {
            warnings.add(noBackupWarning());
        }
        return new PruneReport(true, plan, null, millisSince(t0), 0, 0, List.of(), warnings);
    }

    /**
     * Backs up, archives and removes what the plan selects, atomically (see the class description).
     *
     * @return the report, naming the backup to restore from
     * @throws ConcurrentOperationException if another maintenance operation holds the memory, or the
     *     memory kept changing while planning
     * @throws BackupException if the pre-prune backup or an archive failed; nothing was removed
     */
    public PruneReport execute() {
        MaintenanceLock lock = store.lockMaintenance("prune");
        try {
            return executeLocked(lock);
        } finally {
            lock.close();
        }
    }

    private PruneReport executeLocked(MaintenanceLock lock) {
        long t0 = System.nanoTime();
        Snapshot snapshot = Snapshot.take(store, config);
        PrunePlan plan = PrunePlanner.plan(snapshot, config, clock.instant(), sizer);
        long planMillis = millisSince(t0);
        List<String> warnings = new ArrayList<>();
        if (plan.isEmpty()) {
            return new PruneReport(false, plan, null, planMillis, 0, 0, List.of(), warnings);
        }
        String backupId = null;
        long backupMillis = 0;
        if (config.createBackup()) {
            Backups engine;
            try {
                engine = backups.get();
            } catch (InvalidInputException e) { // a store without a memory root and no backup root set
                throw new InvalidInputException(e.getMessage() + " Nothing was pruned; or turn the pre-prune backup"
                        + " off explicitly (createBackup(false) / --no-backup), e.g. after a pg_dump.", e);
            }
            if (engine == null) {
                throw new BackupException("No backup engine is configured for " + store.describe()
                        + ", so the pre-prune backup cannot be taken; nothing was pruned. Configure backups,"
                        + " or turn the backup off explicitly (createBackup(false) / --no-backup).");
            }
            long b0 = System.nanoTime();
            BackupInfo info = engine.createFull(description(plan), lock);
            backupMillis = millisSince(b0);
            backupId = info.id();
        } else {
            warnings.add(noBackupWarning());
        }
        long a0 = System.nanoTime();
        for (int attempt = 1; changed(snapshot, plan); attempt++) {
            if (attempt >= MAX_ATTEMPTS) {
                throw new ConcurrentOperationException("The memory " + store.describe() + " kept changing while"
                        + " the prune was planned (" + MAX_ATTEMPTS + " attempts); nothing was pruned. Retry when"
                        + " agents are idle.");
            }
            snapshot = Snapshot.take(store, config);
            plan = PrunePlanner.plan(snapshot, config, clock.instant(), sizer);
            warnings.add("Agents recorded items while the prune ran; the plan was made again from the newer"
                    + " state (the backup " + (backupId == null ? "" : backupId + " ") + "does not include those"
                    + " newest items).");
        }
        List<Path> archives = archive(snapshot, plan, warnings);
        List<Change> changes = changes(snapshot, plan);
        if (!changes.isEmpty()) {
            store.apply(changes);
            try {
                store.checkpoint();
            } catch (RuntimeException e) {
                warnings.add("The removal is durable but the files were not rewritten yet (" + e.getMessage()
                        + "); they will be at the next checkpoint or close.");
            }
        }
        return new PruneReport(false, plan, backupId, planMillis, backupMillis, millisSince(a0), archives, warnings);
    }

    private boolean changed(Snapshot snapshot, PrunePlan plan) {
        Map<AgentId, Long> versions = new LinkedHashMap<>();
        for (Snapshot.AgentItems a : snapshot.agents()) {
            versions.put(a.agent(), a.version());
        }
        for (PruneCandidate c : plan.candidates()) {
            Long v = versions.remove(c.agent());
            if (v != null && store.version(c.agent()) != v) {
                return true;
            }
        }
        return false;
    }

    private List<Path> archive(Snapshot snapshot, PrunePlan plan, List<String> warnings) {
        List<Path> written = new ArrayList<>();
        if (plan.candidates().stream().noneMatch(PruneCandidate::archived)) {
            return written;
        }
        Path root = store.files().map(StoreFiles::root).orElse(null);
        if (root == null) {
            warnings.add("Removed decisions were not archived: " + store.describe() + " has no directory;"
                    + " they are only in the pre-prune backup.");
            return written;
        }
        Map<AgentId, Snapshot.AgentItems> agents = new LinkedHashMap<>();
        for (Snapshot.AgentItems a : snapshot.agents()) {
            agents.put(a.agent(), a);
        }
        DecisionArchiver archiver = DecisionArchiver.forMemoryRoot(root);
        Map<AgentId, Map<String, List<MemoryItem>>> byAgent = new LinkedHashMap<>();
        for (PruneCandidate c : plan.candidates()) {
            if (!c.archived()) {
                continue;
            }
            MemoryItem item = agents.get(c.agent()).of(c.kind()).get(c.position());
            String category = c.reason() == PruneReason.NEGATIVE_OUTCOME ? DecisionArchiver.NEGATIVE
                    : DecisionArchiver.AGED;
            byAgent.computeIfAbsent(c.agent(), a -> new LinkedHashMap<>())
                    .computeIfAbsent(category, k -> new ArrayList<>()).add(item);
        }
        Instant now = clock.instant();
        List<ArchiveJob> jobs = new ArrayList<>();
        byAgent.forEach((agent, categories) -> categories.forEach((category, items) ->
                jobs.add(new ArchiveJob(agent, category, items))));
        // each archive is gzip level 9 plus a read-back, independent of the others: on all cores, largest
        // first (so the workers finish together), reported in agent order; the first failure stops the
        // rest and nothing is removed
        List<ArchiveJob> largestFirst = new ArrayList<>(jobs);
        largestFirst.sort(java.util.Comparator.comparingInt((ArchiveJob j) -> j.items().size()).reversed());
        Map<ArchiveJob, Path> paths = new java.util.IdentityHashMap<>();
        try {
            OrderedParallel.run("archive", OrderedParallel.defaultThreads(), largestFirst,
                    job -> archiver.archive(job.agent(), job.category(), job.items(), now, clock.getZone()),
                    paths::put);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: archive() throws BackupException only
        }
        for (ArchiveJob job : jobs) {
            written.add(paths.get(job));
        }
        return written;
    }

    /** The removed decisions of one agent and category, for one archive file. */
    private record ArchiveJob(AgentId agent, String category, List<MemoryItem> items) {
    }

    private static List<Change> changes(Snapshot snapshot, PrunePlan plan) {
        Map<AgentId, EnumMap<ItemKind, BitSet>> removed = new LinkedHashMap<>();
        for (PruneCandidate c : plan.candidates()) {
            removed.computeIfAbsent(c.agent(), a -> new EnumMap<>(ItemKind.class))
                    .computeIfAbsent(c.kind(), k -> new BitSet()).set(c.position());
        }
        List<Change> changes = new ArrayList<>();
        for (Snapshot.AgentItems a : snapshot.agents()) {
            EnumMap<ItemKind, BitSet> kinds = removed.get(a.agent());
            if (kinds == null) {
                continue;
            }
            kinds.forEach((kind, gone) -> {
                List<MemoryItem> items = a.of(kind);
                List<MemoryItem> survivors = new ArrayList<>(items.size() - gone.cardinality());
                for (int i = 0; i < items.size(); i++) {
                    if (!gone.get(i)) {
                        survivors.add(items.get(i));
                    }
                }
                changes.add(Change.replaceAll(a.agent(), kind, survivors));
            });
        }
        return changes;
    }

    private String description(PrunePlan plan) {
        return "Pre-prune backup (strategies " + String.join(", ", plan.strategies()) + "; "
                + plan.candidates().size() + " item(s) to remove)";
    }

    private static String noBackupWarning() {
        return "No pre-prune backup is taken (backup turned off): removed patterns and solutions cannot be"
                + " restored; removed decisions are still archived.";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
