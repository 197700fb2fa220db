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
 */
public final class BackupEngine implements Backups {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    private final MemoryStore store;
    private final BackupSource source;
    private final @Nullable Path memoryRoot;
    private final Path backupRoot;
    private final BackupConfig config;
    private final Clock clock;
    private final ProgressListener progress;
    private final LoomJson loom;
    private final ChangeDetector.StatSource stats;

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

    // ------------------------------------------------------------------ create

    @Override
    public BackupInfo createFull(String description) {
        return locked("backup", lock -> create(BackupType.FULL, description));
    }

    @Override
    public BackupInfo createFull(String description, MaintenanceLock held) {
        Objects.requireNonNull(held, "held");
        return create(BackupType.FULL, description);
    }

    @Override
    public BackupInfo createIncremental(String description) {
        return locked("backup", lock -> create(BackupType.INCREMENTAL, description));
    }

    private BackupInfo create(BackupType requested, String description) {
        Objects.requireNonNull(description, "description");
        Catalog cat = catalog(true);
        Manifest parent = requested == BackupType.INCREMENTAL ? cat.newest().orElse(null) : null;
        BackupType type = parent == null ? BackupType.FULL : BackupType.INCREMENTAL;
        try {
            Files.createDirectories(backupRoot);
        } catch (IOException e) {
            throw new BackupException("Cannot create the backup root " + backupRoot + ": " + e.getMessage()
                    + ". Nothing was backed up; check the permissions or set BackupConfig.backupRoot.", e);
        }
        Manifest m = store.quiesced(() -> writeBackup(type, parent, description, cat));
        Catalog after = catalog(true);
        saveRegistry(after);
        if (config.verifyAfterBackup()) {
            VerifyReport report = verify(m, after, false, true);
            m = m.withVerified(report.ok());
            writeManifest(m);
            saveRegistry(catalog(true));
            if (!report.ok()) {
                throw new BackupException("Backup " + m.id() + " was written but does not verify: "
                        + String.join("; ", report.problems()) + ". The live memory is untouched; check the disk"
                        + " of " + backupRoot + " and take a new backup.");
            }
        }
        return info(m);
    }

    private Manifest writeBackup(BackupType type, @Nullable Manifest parent, String description, Catalog cat) {
        Instant start = clock.instant();
        // the file system's clock is read before any file is (racily-clean rule, see ChangeDetector)
        ChangeDetector detector = source.changeDetector(config, parent, stats);
        BackupSource.Listing listing = source.list();
        SortedMap<String, BackupSource.SourceFile> files = listing.files();
        Map<String, Long> counts = listing.itemCounts();
        CompressionCodec codec = config.compressionCodec();
        Path dir;
        String id;
        while (true) {
            id = BackupIds.allocate(type, start, clock.getZone(),
                    x -> cat.taken(x) || Files.exists(backupRoot.resolve(x)));
            dir = backupRoot.resolve(id);
            try {
                Files.createDirectory(dir);
                break;
            } catch (FileAlreadyExistsException e) {
                // another process took it between the check and the creation: try the next suffix
            } catch (IOException e) {
                throw new BackupException("Cannot create backup folder " + dir + ": " + e.getMessage(), e);
            }
        }
        SortedMap<String, Manifest.FileEntry> state = new TreeMap<>();
        Set<String> createdDirs = new TreeSet<>();
        List<Path> written = new ArrayList<>();
        long done = 0;
        try {
            for (Map.Entry<String, BackupSource.SourceFile> f : files.entrySet()) {
                String rel = f.getKey();
                long items = counts.getOrDefault(rel, -1L);
                Manifest.FileEntry prev = parent == null ? null : parent.files().get(rel);
                Path path = f.getValue().path();
                ChangeDetector.@Nullable Look look;
                byte[] bytes;
                try {
                    look = path == null ? null : detector.look(path, prev); // rendered files: always hashed
                    if (look != null && look.unchanged() && prev != null) {
                        // the stat tuple proves the bytes are the recorded ones; trustFileTimes only
                        // guesses, so its reuse passes no stat tuple on
                        ChangeDetector.FileStat carried = detector.mode() == ChangeDetector.Mode.STAT_CACHE
                                ? look.stat() : null;
                        state.put(rel, new Manifest.FileEntry(prev.sha256(), prev.size(), prev.storedIn(),
                                prev.storedName(), prev.storedSize(), prev.storedSha256(), look.mtimeMillis(),
                                items >= 0 ? items : prev.items(), carried));
                        progress.progress("backup", ++done, files.size(), rel);
                        continue;
                    }
                    bytes = f.getValue().read();
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed by another tool since the listing; it is not part of this state
                }
                ChangeDetector.FileStat stat = null;
                long mtime = -1;
                if (path != null && look != null) {
                    stat = detector.afterRead(path, look, bytes.length);
                    mtime = look.mtimeMillis();
                } else {
                    detector.countHashed();
                }
                String sha = Hashing.sha256Hex(bytes);
                if (prev != null && prev.sha256().equals(sha) && (prev.size() < 0 || prev.size() == bytes.length)) {
                    state.put(rel, new Manifest.FileEntry(prev.sha256(), bytes.length, prev.storedIn(),
                            prev.storedName(), prev.storedSize(), prev.storedSha256(), mtime,
                            items >= 0 ? items : prev.items(), stat));
                } else {
                    byte[] packed = codec.compress(bytes);
                    String storedName = rel + codec.fileSuffix();
                    Path out = dir.resolve(storedName);
                    if (createdDirs.add(rel.substring(0, rel.indexOf('/')))) {
                        Files.createDirectories(out.getParent());
                    }
                    Files.write(out, packed, java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                    written.add(out);
                    state.put(rel, new Manifest.FileEntry(sha, bytes.length, id, storedName, packed.length,
                            Hashing.sha256Hex(packed), mtime, items, stat));
                }
                progress.progress("backup", ++done, files.size(), rel);
            }
            // forced after all are written (the kernel flushes the first ones meanwhile), before the
            // manifest that publishes them
            for (Path out : written) {
                AtomicFiles.force(out);
            }
            for (String sub : createdDirs) {
                AtomicFiles.fsyncDir(dir.resolve(sub));
            }
            AtomicFiles.fsyncDir(dir);
        } catch (IOException e) {
            throw new BackupException("Writing backup " + id + " into " + dir + " failed: " + e.getMessage()
                    + ". The live memory is untouched; the folder is left marked incomplete (no manifest) and can"
                    + " be removed with 'aml <path> backup delete " + id + "'.", e);
        }
        List<String> deleted = new ArrayList<>();
        if (parent != null) {
            parent.files().keySet().stream().filter(p -> !state.containsKey(p)).forEach(deleted::add);
        }
        Set<String> agents = new TreeSet<>();
        files.keySet().forEach(rel -> {
            String folder = rel.substring(0, rel.indexOf('/'));
            if (!TreeFiles.SHARED_FOLDERS.contains(folder)) {
                agents.add(folder);
            }
        });
        agents.addAll(listing.agents());
        Manifest m = new Manifest(id, type, parent == null ? null : parent.id(), start, loomTimestamp(start),
                description, codec.name(), source.describe(), List.copyOf(agents), state, deleted, false,
                detector.clock(), detector.summary());
        writeManifest(m);
        AtomicFiles.fsyncDir(backupRoot);
        return m;
    }

    private String loomTimestamp(Instant start) {
        LocalDateTime local = LocalDateTime.ofInstant(start, clock.getZone());
        String s = local.withNano(0).toString();
        if (s.length() == 16) {
            s += ":00";
        }
        int micros = local.getNano() / 1000;
        return micros == 0 ? s : s + String.format(Locale.ROOT, ".%06d", micros);
    }

    private void writeManifest(Manifest m) {
        try {
            AtomicFiles.write(backupRoot.resolve(m.id()).resolve(Manifest.FILE_NAME), m.toBytes());
        } catch (IOException e) {
            throw new BackupException("Cannot write the manifest of backup " + m.id() + ": " + e.getMessage()
                    + ". The backup stays marked incomplete; the live memory is untouched.", e);
        }
    }

    // ------------------------------------------------------------------ catalog & registry

    private Catalog catalog(boolean strictRegistry) {
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

    private void saveRegistry(Catalog cat) {
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

    private BackupInfo info(Manifest m) {
        return new BackupInfo(m.id(), m.type(), m.startedAt(), m.parentId(), m.description(), m.agents(),
                m.ownFiles().size(), m.ownStoredBytes(), backupRoot.resolve(m.id()), m.verified(), m.codec(), true);
    }

    private BackupInfo info(Catalog.Incomplete inc) {
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

    // ------------------------------------------------------------------ verify

    @Override
    public VerifyReport verify(String id, boolean drill) {
        Catalog cat = catalog(false);
        Manifest m = cat.complete().get(id);
        if (m == null) {
            Catalog.Incomplete inc = cat.incomplete().get(id);
            if (inc == null) {
                throw notFound(id);
            }
            return new VerifyReport(id, List.of(), 0, 0, drill, 0, List.of("backup " + id + " is incomplete: "
                    + inc.reason()));
        }
        return verify(m, cat, drill, false);
    }

    /**
     * Verifies a backup. Thorough ({@code afterBackup} false, {@link #verify(String, boolean)}):
     * every file of its state is read from its holder, decompressed and both SHA-256s recomputed.
     *
     * <p>Right after a backup was written ({@code afterBackup} true) it stays thorough for what this
     * backup wrote, and is cheap for what it references: the chain must be complete (each manifest
     * passed its own checksum when the catalog was read), the holder of each referenced file must
     * be in the chain and list exactly that payload in its own state, and the payload must exist
     * with the recorded size. A holder that was not verified when it was written (verification was
     * off, or a Loom-made backup) gets its referenced payloads decompressed and hashed here. So an
     * incremental costs about what it wrote, not a re-read of the whole chain.
     */
    private VerifyReport verify(Manifest m, Catalog cat, boolean drill, boolean afterBackup) {
        List<String> problems = new ArrayList<>();
        Map<String, Manifest> chain = new LinkedHashMap<>();
        try {
            cat.chain(m).forEach(c -> chain.put(c.id(), c));
        } catch (BackupException e) {
            problems.add(e.getMessage());
        }
        int files = 0;
        long bytes = 0;
        int n = 0;
        for (Map.Entry<String, Manifest.FileEntry> f : m.files().entrySet()) {
            String rel = f.getKey();
            Manifest.FileEntry e = f.getValue();
            progress.progress("verify", ++n, m.files().size(), rel);
            Manifest holder = chain.get(e.storedIn());
            if (holder == null && !chain.isEmpty()) {
                problems.add(rel + ": stored in " + e.storedIn() + ", which is not in the chain " + chain.keySet());
                continue;
            }
            if (afterBackup && holder != null && !holder.id().equals(m.id()) && holder.verified()) {
                referencedPayloadHeld(rel, e, holder).ifPresent(problems::add);
                continue;
            }
            try {
                bytes += readPayload(rel, e, cat).length;
                files++;
            } catch (BackupException ex) {
                problems.add(ex.getMessage());
            }
        }
        long items = 0;
        if (drill && problems.isEmpty()) {
            try {
                items = drill(m, cat, problems);
            } catch (IOException | AmlException ex) {
                problems.add("restore drill failed: " + ex.getMessage());
            }
        }
        return new VerifyReport(m.id(), List.copyOf(chain.keySet()), files, bytes, drill, items, problems);
    }

    /** The cheap check of a payload a new backup references in a verified holder: the problem, if any. */
    private Optional<String> referencedPayloadHeld(String rel, Manifest.FileEntry e, Manifest holder) {
        Manifest.FileEntry held = holder.files().get(rel);
        if (held == null || !held.storedIn().equals(holder.id()) || !held.sha256().equals(e.sha256())
                || !held.storedName().equals(e.storedName()) || !held.storedSha256().equals(e.storedSha256())
                || held.storedSize() != e.storedSize()) {
            return Optional.of(rel + ": backup " + holder.id() + " does not hold the payload this backup references"
                    + " (its manifest lists another file or none)");
        }
        Path payload = backupRoot.resolve(holder.id()).resolve(e.storedName());
        try {
            long size = Files.size(payload);
            return e.storedSize() >= 0 && size != e.storedSize()
                    ? Optional.of(rel + ": " + payload + " has " + size + " bytes, the manifest says " + e.storedSize())
                    : Optional.empty();
        } catch (IOException ex) {
            return Optional.of(rel + ": cannot read " + payload + " (" + ex.getClass().getSimpleName() + ": "
                    + ex.getMessage() + ")");
        }
    }

    private long drill(Manifest m, Catalog cat, List<String> problems) throws IOException {
        Files.createDirectories(backupRoot);
        Path tmp = Files.createTempDirectory(backupRoot, ".drill-" + m.id() + "-");
        try {
            writeFiles(m, cat, tmp);
            long items = 0;
            for (Map.Entry<String, Manifest.FileEntry> f : m.files().entrySet()) {
                String rel = f.getKey();
                Path restored = tmp.resolve(rel);
                byte[] back = Files.readAllBytes(restored);
                if (!Hashing.sha256Hex(back).equals(f.getValue().sha256())) {
                    problems.add(rel + ": restored bytes differ from the backup");
                    continue;
                }
                ItemKind kind = itemKind(rel);
                if (kind == null) {
                    continue;
                }
                try {
                    List<MemoryItem> parsed = loom.read(back, kind, rel);
                    items += parsed.size();
                    long expected = f.getValue().items();
                    if (expected >= 0 && expected != parsed.size()) {
                        problems.add(rel + ": " + parsed.size() + " items restored, " + expected
                                + " were in the store when the backup was taken");
                    }
                    for (MemoryItem item : parsed) {
                        // a second encode/decode proves each item survives the next write as well
                        MemoryItem again = loom.readItem(loom.writeItem(item), kind, rel);
                        if (!again.equals(item)) {
                            problems.add(rel + ": item '" + item.id() + "' does not survive a write/read round trip");
                        }
                    }
                } catch (CorruptDataException e) {
                    if (f.getValue().items() >= 0) {
                        problems.add(rel + ": " + e.getMessage());
                    }
                    // else: the file was already unreadable when it was backed up; it is kept byte for byte
                }
            }
            return items;
        } finally {
            deleteTree(tmp);
        }
    }

    private static @Nullable ItemKind itemKind(String rel) {
        String folder = rel.substring(0, rel.indexOf('/'));
        if (TreeFiles.SHARED_FOLDERS.contains(folder)) {
            return null;
        }
        return ItemKind.forFileName(rel.substring(rel.indexOf('/') + 1));
    }

    /** Reads, decompresses and checks one file of a backup's state. */
    private byte[] readPayload(String rel, Manifest.FileEntry e, Catalog cat) {
        if (!TreeFiles.safeRelative(rel) || !TreeFiles.safeRelative(e.storedName()) || !BackupIds.isId(e.storedIn())) {
            throw new BackupException(rel + ": the manifest names an unsafe path (" + e.storedIn() + "/"
                    + e.storedName() + "); the manifest was tampered with.");
        }
        Manifest holder = cat.complete().get(e.storedIn());
        if (holder == null) {
            throw new BackupException(rel + ": its bytes are stored in backup " + e.storedIn() + ", which is missing"
                    + " or incomplete");
        }
        Path file = backupRoot.resolve(e.storedIn()).resolve(e.storedName());
        byte[] packed;
        try {
            packed = Files.readAllBytes(file);
        } catch (IOException ex) {
            throw new BackupException(rel + ": cannot read " + file + " (" + ex.getClass().getSimpleName() + ": "
                    + ex.getMessage() + ")", ex);
        }
        if (e.storedSize() >= 0 && packed.length != e.storedSize()) {
            throw new BackupException(rel + ": " + file + " has " + packed.length + " bytes, the manifest says "
                    + e.storedSize());
        }
        if (!e.storedSha256().isEmpty() && !Hashing.sha256Hex(packed).equals(e.storedSha256())) {
            throw new BackupException(rel + ": " + file + " was changed or damaged (SHA-256 of the stored bytes"
                    + " does not match the manifest)");
        }
        CompressionCodec codec = CompressionCodec.byName(holder.codec()).orElseThrow(() -> new BackupException(
                rel + ": backup " + holder.id() + " uses the unknown codec '" + holder.codec() + "'"));
        byte[] plain;
        try {
            plain = codec.decompress(packed);
        } catch (CorruptDataException ex) {
            throw new BackupException(rel + ": " + file + " does not decompress: " + ex.getMessage(), ex);
        }
        if (e.size() >= 0 && plain.length != e.size()) {
            throw new BackupException(rel + ": " + file + " decompresses to " + plain.length + " bytes, expected "
                    + e.size());
        }
        String sha = Hashing.sha256Hex(plain);
        if (!sha.equals(e.sha256())) {
            throw new BackupException(rel + ": SHA-256 of " + file + " is " + sha + ", expected " + e.sha256());
        }
        return plain;
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
        Catalog cat = catalog(false);
        Manifest m = cat.complete().get(id);
        if (m == null) {
            throw notFound(id);
        }
        Manifest.FileEntry e = m.files().get(rel);
        return e == null ? Optional.empty() : Optional.of(readPayload(rel, e, cat));
    }

    // ------------------------------------------------------------------ restore

    @Override
    public RestoreReport restore(String id, Path target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        return locked("restore", lock -> restoreLocked(id, target, lock));
    }

    @Override
    public RestoreReport restoreInPlace(String id) {
        Objects.requireNonNull(id, "id");
        return locked("restore", lock -> restoreLocked(id, null, lock));
    }

    @Override
    public RestoreReport restoreAt(Instant instant, Path target) {
        Objects.requireNonNull(target, "target");
        return restore(newestAt(instant), target);
    }

    @Override
    public RestoreReport restoreInPlaceAt(Instant instant) {
        return restoreInPlace(newestAt(instant));
    }

    private String newestAt(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Catalog cat = catalog(false);
        Manifest best = null;
        for (Manifest m : cat.oldestFirst()) {
            if (!m.startedAt().isAfter(instant)) {
                best = m;
            }
        }
        if (best == null) {
            List<Manifest> all = cat.oldestFirst();
            throw new BackupException("No backup was taken at or before " + instant + (all.isEmpty()
                    ? "; there are no backups in " + backupRoot + "."
                    : "; the oldest is " + all.get(0).id() + " (" + all.get(0).startedAt() + ")."));
        }
        return best.id();
    }

    /** Restores into {@code target}, or in place when it is {@code null} or the memory root. */
    private RestoreReport restoreLocked(String id, @Nullable Path target, MaintenanceLock lock) {
        long t0 = System.nanoTime();
        Catalog cat = catalog(false);
        Manifest m = cat.complete().get(id);
        if (m == null) {
            Catalog.Incomplete inc = cat.incomplete().get(id);
            if (inc != null) {
                throw new BackupException("Backup " + id + " cannot be restored: it is " + inc.reason()
                        + ". Restore another backup (see 'aml <path> backup list').");
            }
            throw notFound(id);
        }
        List<String> chain = cat.chain(m).stream().map(Manifest::id).toList();
        Path abs = target == null ? null : target.toAbsolutePath().normalize();
        if (abs == null || abs.equals(memoryRoot)) {
            return restoreInPlace(m, cat, chain, lock, t0);
        }
        if (abs.startsWith(backupRoot) || memoryRoot != null && (abs.startsWith(memoryRoot)
                || memoryRoot.startsWith(abs))) {
            throw new BackupException("Cannot restore into " + abs + ": it overlaps " + (memoryRoot == null ? ""
                    : "the memory root " + memoryRoot + " or ") + "the backup root " + backupRoot + ". Choose a new"
                    + " folder elsewhere" + (memoryRoot == null ? "." : ", or the memory root itself for an in-place"
                    + " restore."));
        }
        if (Files.exists(abs) && !isEmptyDir(abs)) {
            throw new BackupException("Cannot restore into " + abs + ": it exists and is not an empty folder."
                    + " Nothing was changed; choose a new folder.");
        }
        Path parent = abs.getParent();
        Path staging = parent.resolve("." + abs.getFileName() + ".restoring-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        long[] totals;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            totals = writeFiles(m, cat, staging);
            Files.deleteIfExists(abs); // an empty folder the user made for us
            try {
                Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, abs);
            }
            AtomicFiles.fsyncDir(parent);
        } catch (IOException | AmlException e) {
            deleteTree(staging);
            if (e instanceof BackupException be) {
                throw new BackupException(be.getMessage() + " Nothing was restored into " + abs + ".", be);
            }
            throw new BackupException("Restoring " + id + " into " + abs + " failed: " + e.getMessage()
                    + ". Nothing was restored there.", e);
        }
        return new RestoreReport(id, chain, abs, false, null, (int) totals[0], totals[1], 0,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Writes every file of the state into {@code dir}, checking each; returns {files, bytes}. */
    private long[] writeFiles(Manifest m, Catalog cat, Path dir) throws IOException {
        long files = 0;
        long bytes = 0;
        Set<String> made = new TreeSet<>();
        for (Map.Entry<String, Manifest.FileEntry> f : m.files().entrySet()) {
            byte[] plain = readPayload(f.getKey(), f.getValue(), cat);
            Path out = dir.resolve(f.getKey());
            String folder = f.getKey().substring(0, f.getKey().indexOf('/'));
            if (made.add(folder)) {
                Files.createDirectories(out.getParent());
            }
            AtomicFiles.writeDurably(out, plain);
            files++;
            bytes += plain.length;
            progress.progress("restore", files, m.files().size(), f.getKey());
        }
        for (String folder : made) {
            AtomicFiles.fsyncDir(dir.resolve(folder));
        }
        AtomicFiles.fsyncDir(dir);
        return new long[] {files, bytes};
    }

    private RestoreReport restoreInPlace(Manifest m, Catalog cat, List<String> chain, MaintenanceLock lock, long t0) {
        Optional<Path> storeRoot = store.files().map(f -> f.root().toAbsolutePath().normalize());
        if (memoryRoot != null && (storeRoot.isEmpty() || !storeRoot.get().equals(memoryRoot))) {
            throw new BackupException("Cannot restore " + m.id() + " in place: the open memory is "
                    + store.describe() + ", not the file tree " + memoryRoot + ". Nothing was changed; restore into"
                    + " a new folder instead ('--target DIR').");
        }
        // 1. Read and check everything before anything changes.
        Map<String, byte[]> plain = new TreeMap<>();
        for (Map.Entry<String, Manifest.FileEntry> f : m.files().entrySet()) {
            plain.put(f.getKey(), readPayload(f.getKey(), f.getValue(), cat));
        }
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> items = new TreeMap<>();
        Map<String, byte[]> rawItemFiles = new LinkedHashMap<>();
        Map<String, byte[]> otherFiles = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : plain.entrySet()) {
            String rel = f.getKey();
            ItemKind kind = itemKind(rel);
            if (kind == null) {
                otherFiles.put(rel, f.getValue());
                continue;
            }
            String name = rel.substring(rel.indexOf('/') + 1);
            AgentId agent = AgentId.of(rel.substring(0, rel.indexOf('/')));
            if (name.endsWith(".gz") && plain.containsKey(agent.name() + "/" + kind.fileName())) {
                otherFiles.put(rel, f.getValue()); // X.json wins over X.json.gz, as Loom reads them
                continue;
            }
            try {
                items.computeIfAbsent(agent, a -> new EnumMap<>(ItemKind.class)).put(kind, loom.read(f.getValue(), kind,
                        rel));
            } catch (CorruptDataException e) {
                rawItemFiles.put(rel, f.getValue()); // unreadable when backed up: restored byte for byte
            }
        }
        if (memoryRoot == null) {
            RootlessRestore.requireOnlyItems(m.id(), store, rawItemFiles.keySet(), otherFiles.keySet());
        }
        // 2. Safety backup of the live memory, under the lock we hold.
        BackupInfo safety = createFull("Pre-restore safety backup (before restoring " + m.id() + ")", lock);
        // 3. Item files through the store, in one atomic batch.
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        if (memoryRoot == null && !unreadable.isEmpty()) {
            throw RootlessRestore.unreadable(m.id(), store, unreadable.keySet(), safety.id());
        }
        Set<AgentId> agents = new TreeSet<>(store.agents());
        agents.addAll(items.keySet());
        List<Change> changes = new ArrayList<>();
        long itemCount = 0;
        List<String> direct = new ArrayList<>();
        for (AgentId agent : agents) {
            Map<ItemKind, List<MemoryItem>> kinds = items.getOrDefault(agent, Map.of());
            if (unreadable.containsKey(agent)) {
                // the store holds nothing for this agent: its files are rewritten directly below
                for (ItemKind kind : ItemKind.values()) {
                    direct.add(agent.name() + "/" + kind.fileName());
                }
                continue;
            }
            for (ItemKind kind : ItemKind.values()) {
                List<MemoryItem> list = kinds.getOrDefault(kind, List.of());
                changes.add(Change.replaceAll(agent, kind, list));
                itemCount += list.size();
            }
        }
        store.apply(changes);
        progress.progress("restore", 1, 2, "items replaced");
        store.checkpoint();
        progress.progress("restore", 2, 2, "items checkpointed");
        if (memoryRoot == null) {
            return new RestoreReport(m.id(), chain, null, true, safety.id(), itemFiles(items), itemBytes(plain),
                    itemCount, Duration.ofNanos(System.nanoTime() - t0));
        }
        // 4. Other files (and item files of agents the store could not read) written atomically.
        int files = 0;
        long bytes = 0;
        try {
            for (String rel : direct) {
                byte[] b = plain.get(rel);
                Path live = memoryRoot.resolve(rel);
                if (b != null) {
                    AtomicFiles.write(live, b);
                    files++;
                    bytes += b.length;
                } else if (Files.exists(live)) {
                    Files.delete(live); // not in the backup: the unreadable file is kept in the safety backup
                }
            }
            for (Map.Entry<String, byte[]> f : otherFiles.entrySet()) {
                if (direct.contains(f.getKey())) {
                    continue;
                }
                AtomicFiles.write(memoryRoot.resolve(f.getKey()), f.getValue());
                files++;
                bytes += f.getValue().length;
            }
            for (Map.Entry<String, byte[]> f : rawItemFiles.entrySet()) {
                if (!direct.contains(f.getKey())) {
                    AtomicFiles.write(memoryRoot.resolve(f.getKey()), f.getValue());
                    files++;
                    bytes += f.getValue().length;
                }
            }
        } catch (IOException e) {
            throw new BackupException("Restoring the non-item files of " + m.id() + " into " + memoryRoot
                    + " failed: " + e.getMessage() + ". The items were restored; the state before the restore is in"
                    + " backup " + safety.id() + ".", e);
        }
        for (Map.Entry<AgentId, Map<ItemKind, List<MemoryItem>>> a : items.entrySet()) {
            if (!unreadable.containsKey(a.getKey())) {
                files += a.getValue().size();
            }
        }
        return new RestoreReport(m.id(), chain, memoryRoot, true, safety.id(), files, bytes + itemBytes(plain),
                itemCount, Duration.ofNanos(System.nanoTime() - t0));
    }

    private static int itemFiles(Map<AgentId, Map<ItemKind, List<MemoryItem>>> items) {
        return items.values().stream().mapToInt(Map::size).sum();
    }

    private static long itemBytes(Map<String, byte[]> plain) {
        long n = 0;
        for (Map.Entry<String, byte[]> f : plain.entrySet()) {
            if (itemKind(f.getKey()) != null) {
                n += f.getValue().length;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ rotate, delete, auto

    @Override
    public RotationReport rotate(boolean dryRun) {
        return locked("backup rotate", lock -> rotateLocked(dryRun));
    }

    private RotationReport rotateLocked(boolean dryRun) {
        Catalog cat = catalog(true);
        List<RotationPlanner.Node> nodes = cat.complete().values().stream()
                .map(m -> new RotationPlanner.Node(m.id(), m.type(), m.startedAt(), m.parentId())).toList();
        RotationPlanner.Plan plan = RotationPlanner.plan(nodes, clock.instant(), config.retentionDays(),
                config.maxBackups());
        if (!dryRun) {
            for (String id : plan.delete()) {
                removeFolder(id);
            }
            saveRegistry(catalog(true));
            cleanLeftovers();
        }
        List<String> deletedOldestFirst = new ArrayList<>(plan.delete());
        java.util.Collections.reverse(deletedOldestFirst);
        return new RotationReport(dryRun, deletedOldestFirst, plan.keep(), plan.keptBecause(),
                List.copyOf(cat.incomplete().keySet()));
    }

    @Override
    public void delete(String id) {
        locked("backup delete", lock -> {
            Catalog cat = catalog(true);
            if (cat.incomplete().containsKey(id)) {
                removeFolder(id);
                return null;
            }
            if (!cat.complete().containsKey(id)) {
                throw notFound(id);
            }
            List<String> dependents = cat.dependents(id);
            if (!dependents.isEmpty()) {
                throw new BackupException("Cannot delete backup " + id + ": " + String.join(", ", dependents)
                        + (dependents.size() == 1 ? " depends" : " depend") + " on it. Delete "
                        + (dependents.size() == 1 ? "that backup" : "those backups") + " first, or let 'backup rotate'"
                        + " decide.");
            }
            removeFolder(id);
            saveRegistry(catalog(true));
            return null;
        });
    }

    @Override
    public AutoBackupReport auto() {
        return locked("backup auto", lock -> {
            Catalog cat = catalog(true);
            Instant now = clock.instant();
            BackupType type;
            String reason;
            Optional<Manifest> full = cat.newestFull();
            Optional<Manifest> newest = cat.newest();
            if (!config.incrementalEnabled()) {
                type = BackupType.FULL;
                reason = "incremental backups are disabled";
            } else if (full.isEmpty()) {
                type = BackupType.FULL;
                reason = "no full backup yet";
            } else if (Duration.between(full.get().startedAt(), now).compareTo(config.fullBackupMaxAge()) > 0) {
                type = BackupType.FULL;
                reason = "the newest full backup " + full.get().id() + " is older than " + config.fullBackupMaxAge()
                        .toDays() + " days";
            } else if (newest.isPresent() && cat.chain(newest.get()).size() - 1 >= config.maxChainLength()) {
                type = BackupType.FULL;
                reason = "the chain of " + newest.get().id() + " already has " + (cat.chain(newest.get()).size() - 1)
                        + " incremental backups (limit " + config.maxChainLength() + ")";
            } else {
                type = BackupType.INCREMENTAL;
                reason = "only files changed since " + newest.map(Manifest::id).orElse("?");
            }
            BackupInfo info = create(type, "Automatic backup");
            return new AutoBackupReport(info, reason, rotateLocked(false));
        });
    }

    private <T> T locked(String operation, java.util.function.Function<MaintenanceLock, T> action) {
        try (MaintenanceLock lock = store.lockMaintenance(operation)) {
            return action.apply(lock);
        }
    }

    private void removeFolder(String id) {
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

    private void cleanLeftovers() {
        try (Stream<Path> s = Files.list(backupRoot)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".deleting-") || n.startsWith(".drill-");
            }).forEach(BackupEngine::deleteTree);
        } catch (IOException e) {
            // leftovers of an interrupted delete are harmless: they are not backups and are retried next time
        }
    }

    private BackupException notFound(String id) {
        return new BackupException("Backup not found: " + id + " (in " + backupRoot
                + "). Use 'aml <path> backup list' to see the ids; they look like full_YYYYMMDD_HHMMSS.");
    }

    private static boolean isEmptyDir(Path p) {
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
