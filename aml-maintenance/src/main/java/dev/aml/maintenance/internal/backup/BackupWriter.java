package dev.aml.maintenance.internal.backup;

import dev.aml.core.BackupException;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryStore;
import dev.aml.loom.CompressionCodec;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.VerifyReport;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Writes backups: full and incremental, payload files then the manifest last and atomically, then verifies what it wrote. Part of {@link BackupEngine}, which owns the shared state and catalog. */
final class BackupWriter {

    private final BackupEngine engine;
    private final MemoryStore store;
    private final BackupSource source;
    private final Path backupRoot;
    private final BackupConfig config;
    private final Clock clock;
    private final ProgressListener progress;
    private final ChangeDetector.StatSource stats;

    BackupWriter(BackupEngine engine) {
        this.engine = engine;
        this.store = engine.store;
        this.source = engine.source;
        this.backupRoot = engine.backupRoot;
        this.config = engine.config;
        this.clock = engine.clock;
        this.progress = engine.progress;
        this.stats = engine.stats;
    }

    BackupInfo createFull(String description) {
        return locked("backup", lock -> create(BackupType.FULL, description));
    }

    BackupInfo createFull(String description, MaintenanceLock held) {
        Objects.requireNonNull(held, "held");
        return create(BackupType.FULL, description);
    }

    BackupInfo createIncremental(String description) {
        return locked("backup", lock -> create(BackupType.INCREMENTAL, description));
    }

    BackupInfo create(BackupType requested, String description) {
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

    Manifest writeBackup(BackupType type, @Nullable Manifest parent, String description, Catalog cat) {
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
            if (!BackupFiles.SHARED_FOLDERS.contains(folder)) {
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

    String loomTimestamp(Instant start) {
        LocalDateTime local = LocalDateTime.ofInstant(start, clock.getZone());
        String s = local.withNano(0).toString();
        if (s.length() == 16) {
            s += ":00";
        }
        int micros = local.getNano() / 1000;
        return micros == 0 ? s : s + String.format(Locale.ROOT, ".%06d", micros);
    }

    void writeManifest(Manifest m) {
        try {
            AtomicFiles.write(backupRoot.resolve(m.id()).resolve(Manifest.FILE_NAME), m.toBytes());
        } catch (IOException e) {
            throw new BackupException("Cannot write the manifest of backup " + m.id() + ": " + e.getMessage()
                    + ". The backup stays marked incomplete; the live memory is untouched.", e);
        }
    }

    // ---------------------------------------------------------- shared with the other parts of the engine

    private Catalog catalog(boolean strictRegistry) {
        return engine.catalog(strictRegistry);
    }

    private BackupInfo info(Manifest m) {
        return engine.info(m);
    }

    private BackupInfo info(Catalog.Incomplete inc) {
        return engine.info(inc);
    }

    private <T> T locked(String operation, java.util.function.Function<MaintenanceLock, T> action) {
        return engine.locked(operation, action);
    }

    private void saveRegistry(Catalog cat) {
        engine.saveRegistry(cat);
    }

    private VerifyReport verify(String id, boolean drill) {
        return engine.verifier().verify(id, drill);
    }

    private VerifyReport verify(Manifest m, Catalog cat, boolean drill, boolean afterBackup) {
        return engine.verifier().verify(m, cat, drill, afterBackup);
    }
}
