package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.BackupException;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.AutoBackupReport;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.Backups;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.RestoreReport;
import dev.aml.maintenance.RotationReport;
import dev.aml.maintenance.VerifyReport;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Backups} implementation: for a memory tree on disk, and for a store without a memory
 * root (PostgreSQL, in memory), whose backups are logical exports in Loom's layout.
 *
 * <h2>Design</h2>
 * Every backup folder holds the payload files it stores ({@code <agent>/<file>.gz} as Loom lays
 * them out) and, written last and atomically, a {@link Manifest}: the complete state of the memory
 * at that point (every file with its SHA-256 and which backup holds its bytes). Hence:
 * <ul>
 *   <li><b>Completeness</b>: a folder without a readable manifest is an interrupted backup; it is
 *       listed as incomplete and ignored by restore, verify and rotation. No half backup is ever
 *       mistaken for a good one.</li>
 *   <li><b>Incrementals</b> compare each file's SHA-256 with the state of the previous backup of the
 *       chain (the newest complete backup), store only what changed, reference the rest, and record
 *       deletions. Restore needs no replay: the requested manifest names every file and its
 *       holder; the "chain" is the set of holders, all ancestors of the backup.</li>
 *   <li><b>Source</b>: what is backed up comes from a {@link BackupSource}: the files of the tree
 *       ({@link TreeSource}), or the store's items rendered as Loom files ({@link StoreSnapshotSource},
 *       for stores without a root). Everything else (ids, manifests, incrementals by SHA-256,
 *       verify, rotation, restore into a new folder) is the same for both.</li>
 *   <li><b>Consistency</b>: files are listed and read inside {@link MemoryStore#quiesced}, so a backup
 *       sees one checkpointed state (on PostgreSQL: one snapshot), never half a change.</li>
 *   <li><b>Registry</b>: {@code backup_metadata.json} is derived from the manifests (plus entries of
 *       Loom-made backups, kept verbatim) and rewritten atomically after every change; a damaged
 *       registry stops writers with a clear error and {@link #reindex()} rebuilds it.</li>
 *   <li><b>Restore</b> checks the SHA-256 of every file before anything is written. Into a new
 *       folder, files are staged in a hidden sibling folder that is renamed into place at the end.
 *       In place, item files go through the store as one atomic batch of
 *       {@link Change#replaceAll} after a safety backup; for a store without a root that is the
 *       whole restore (every agent's items become the backup's).</li>
 * </ul>
 *
 * <h2>Parts</h2>
 * This class is the {@link Backups} façade: it owns the shared state (store, source, roots,
 * settings), the catalog and the registry, and hands each operation to its part:
 * {@link BackupWriter} (create), {@link BackupVerifier} (verify, read payloads),
 * {@link BackupRestorer} (restore into a folder or in place) and {@link BackupRotation} (rotate,
 * delete, auto).
 */
public final class BackupEngine implements Backups {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    final MemoryStore store;
    final BackupSource source;
    final @Nullable Path memoryRoot;
    final Path backupRoot;
    final BackupConfig config;
    final Clock clock;
    final ProgressListener progress;
    final LoomJson loom;
    final ChangeDetector.StatSource stats;
    private final BackupWriter writer;
    private final BackupVerifier verifier;
    private final BackupRestorer restorer;
    private final BackupRotation rotation;

    /**
     * @param store the store whose tree is backed up (its lock and quiesced state are used)
     * @param memoryRoot the memory root
     * @param config the backup settings
     * @param clock the clock for ids, ages and timestamps
     * @param progress receives per-file progress
     */
    public BackupEngine(MemoryStore store, Path memoryRoot, BackupConfig config, Clock clock,
            ProgressListener progress) {
        this(store, memoryRoot, config, clock, progress, ChangeDetector.StatSource.system());
    }

    /** As the public constructor, with the source of file stat tuples (tests simulate coarse clocks). */
    BackupEngine(MemoryStore store, Path memoryRoot, BackupConfig config, Clock clock, ProgressListener progress,
            ChangeDetector.StatSource stats) {
        this(store, new TreeSource(store, memoryRoot.toAbsolutePath().normalize()), config,
                config.resolveRoot(memoryRoot), clock, progress, stats);
    }

    private BackupEngine(MemoryStore store, BackupSource source, BackupConfig config, Path backupRoot, Clock clock,
            ProgressListener progress, ChangeDetector.StatSource stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.store = Objects.requireNonNull(store, "store");
        this.source = source;
        this.memoryRoot = source.root().orElse(null);
        this.config = Objects.requireNonNull(config, "config");
        this.backupRoot = backupRoot;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = Objects.requireNonNull(progress, "progress");
        // the file store's own reading rules: naive timestamps are the system zone's local time
        this.loom = LoomJson.defaults();
        this.writer = new BackupWriter(this);
        this.verifier = new BackupVerifier(this);
        this.restorer = new BackupRestorer(this);
        this.rotation = new BackupRotation(this);
    }

    /**
     * Backups of a store without a memory root (PostgreSQL, in memory): each backup holds the store's
     * items, from one consistent snapshot, as the Loom files {@code exportTo} writes.
     *
     * @param store the store
     * @param config the backup settings; {@link BackupConfig#backupRoot()} must be set
     * @param clock the clock for ids, ages and timestamps
     * @param progress receives per-file progress
     * @return the engine
     * @throws InvalidInputException if {@code config} names no backup root (there is no memory root
     *     beside which the default {@code memory-backup/} could live)
     */
    public static BackupEngine forStore(MemoryStore store, BackupConfig config, Clock clock,
            ProgressListener progress) {
        Path root = config.backupRoot();
        if (root == null) {
            throw new InvalidInputException("Backups of " + store.describe() + " need a backup root: the store has"
                    + " no memory root beside which the default " + BackupConfig.DEFAULT_ROOT_NAME + "/ could live."
                    + " Set BackupConfig.backupRoot (MemoryManager.builder().backupConfig(..) or"
                    + " aml.backups(config)), or pass --backup-root DIR on the command line.");
        }
        return new BackupEngine(store, new StoreSnapshotSource(store, LoomJson.defaults()), config,
                root.toAbsolutePath().normalize(), clock, progress, ChangeDetector.StatSource.system());
    }

    @Override
    public Path root() {
        return backupRoot;
    }

    BackupWriter writer() {
        return writer;
    }

    BackupVerifier verifier() {
        return verifier;
    }

    BackupRestorer restorer() {
        return restorer;
    }

    BackupRotation rotation() {
        return rotation;
    }

    // ------------------------------------------------------------------ operations (in the parts)

    @Override
    public BackupInfo createFull(String description) {
        return writer.createFull(description);
    }

    @Override
    public BackupInfo createFull(String description, MaintenanceLock held) {
        return writer.createFull(description, held);
    }

    @Override
    public BackupInfo createIncremental(String description) {
        return writer.createIncremental(description);
    }

    @Override
    public VerifyReport verify(String id, boolean drill) {
        return verifier.verify(id, drill);
    }

    /**
     * Reads one file of a complete backup's state, checked against its SHA-256 (migration rollback).
     *
     * @param id the backup
     * @param rel the file's relative path, e.g. {@code coder/patterns.json}
     * @return its original bytes, or empty if the backup's state has no such file
     * @throws BackupException if the backup is missing, incomplete or the file is damaged
     */
    public Optional<byte[]> readFile(String id, String rel) {
        return verifier.readFile(id, rel);
    }

    @Override
    public RestoreReport restore(String id, Path target) {
        return restorer.restore(id, target);
    }

    @Override
    public RestoreReport restoreInPlace(String id) {
        return restorer.restoreInPlace(id);
    }

    @Override
    public RestoreReport restoreAt(Instant instant, Path target) {
        return restorer.restoreAt(instant, target);
    }

    @Override
    public RestoreReport restoreInPlaceAt(Instant instant) {
        return restorer.restoreInPlaceAt(instant);
    }

    @Override
    public RotationReport rotate(boolean dryRun) {
        return rotation.rotate(dryRun);
    }

    @Override
    public void delete(String id) {
        rotation.delete(id);
    }

    @Override
    public AutoBackupReport auto() {
        return rotation.auto();
    }

    // ------------------------------------------------------------------ catalog & registry

    Catalog catalog(boolean strictRegistry) {
        Registry registry;
        try {
            registry = Registry.load(backupRoot.resolve(Registry.FILE_NAME));
        } catch (BackupException e) {
            if (strictRegistry) {
                throw e;
            }
            registry = Registry.empty();
        }
        return Catalog.scan(backupRoot, registry, clock.getZone());
    }

    void saveRegistry(Catalog cat) {
        List<Manifest> ours = new ArrayList<>();
        for (Manifest m : cat.oldestFirst()) {
            if (!cat.legacy().containsKey(m.id())) {
                ours.add(m);
            }
        }
        try {
            Registry.write(backupRoot.resolve(Registry.FILE_NAME), ours, cat.legacy().values());
        } catch (IOException e) {
            throw new BackupException("Cannot write " + backupRoot.resolve(Registry.FILE_NAME) + ": " + e.getMessage()
                    + ". The backups themselves are complete; run 'aml <path> backup reindex' once the disk is"
                    + " writable.", e);
        }
    }

    BackupInfo info(Manifest m) {
        return new BackupInfo(m.id(), m.type(), m.startedAt(), m.parentId(), m.description(), m.agents(),
                m.ownFiles().size(), m.ownStoredBytes(), backupRoot.resolve(m.id()), m.verified(), m.codec(), true);
    }

    BackupInfo info(Catalog.Incomplete inc) {
        Instant t = BackupIds.time(inc.id(), clock.getZone()).orElse(Instant.EPOCH);
        BackupType type = BackupIds.type(inc.id()).orElse(BackupType.FULL);
        Path dir = backupRoot.resolve(inc.id());
        return new BackupInfo(inc.id(), type, t, null, "INCOMPLETE: " + inc.reason(), List.of(), 0, 0, dir, false,
                "unknown", false);
    }

    @Override
    public List<BackupInfo> list() {
        Catalog cat = catalog(true);
        List<BackupInfo> out = new ArrayList<>();
        cat.complete().values().forEach(m -> out.add(info(m)));
        cat.incomplete().values().forEach(i -> out.add(info(i)));
        out.sort(Comparator.comparing(BackupInfo::timestamp).thenComparing(BackupInfo::id).reversed());
        return out;
    }

    @Override
    public Optional<BackupInfo> find(String id) {
        Catalog cat = catalog(false);
        Manifest m = cat.complete().get(id);
        if (m != null) {
            return Optional.of(info(m));
        }
        Catalog.Incomplete inc = cat.incomplete().get(id);
        return inc == null ? Optional.empty() : Optional.of(info(inc));
    }

    @Override
    public List<BackupInfo> reindex() {
        locked("backup reindex", lock -> {
            Path file = backupRoot.resolve(Registry.FILE_NAME);
            Registry registry;
            try {
                registry = Registry.load(file);
            } catch (BackupException damaged) {
                Path aside = backupRoot.resolve(Registry.FILE_NAME + ".damaged-"
                        + STAMP.format(LocalDateTime.ofInstant(clock.instant(), clock.getZone())));
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new BackupException("Cannot move the damaged " + file + " aside to " + aside + ": "
                            + e.getMessage() + ". Nothing was changed.", e);
                }
                registry = Registry.empty();
            }
            saveRegistry(Catalog.scan(backupRoot, registry, clock.getZone()));
            return null;
        });
        return list();
    }

    // ------------------------------------------------------------------ shared helpers

    <T> T locked(String operation, java.util.function.Function<MaintenanceLock, T> action) {
        try (MaintenanceLock lock = store.lockMaintenance(operation)) {
            return action.apply(lock);
        }
    }

    void removeFolder(String id) {
        Path dir = backupRoot.resolve(id);
        Path doomed = backupRoot.resolve(".deleting-" + id + "-" + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()));
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDir(backupRoot);
        } catch (IOException e) {
            throw new BackupException("Cannot delete backup folder " + dir + ": " + e.getMessage(), e);
        }
        deleteTree(doomed);
    }

    void cleanLeftovers() {
        try (Stream<Path> s = Files.list(backupRoot)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".deleting-") || n.startsWith(".drill-");
            }).forEach(BackupEngine::deleteTree);
        } catch (IOException e) {
            // leftovers of an interrupted delete are harmless: they are not backups and are retried next time
        }
    }

    BackupException notFound(String id) {
        return new BackupException("Backup not found: " + id + " (in " + backupRoot
                + "). Use 'aml <path> backup list' to see the ids; they look like full_YYYYMMDD_HHMMSS.");
    }

    static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new BackupException("Cannot remove " + p + ": " + e.getMessage(), e);
        }
    }
}
