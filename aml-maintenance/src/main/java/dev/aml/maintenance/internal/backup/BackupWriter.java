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
import dev.aml.maintenance.internal.io.OrderedParallel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
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
        Written w = store.quiesced(() -> writeBackup(type, parent, description, cat));
        Manifest m = w.manifest();
        Catalog after = catalog(true);
        saveRegistry(after);
        if (config.verifyAfterBackup()) {
            VerifyReport report = engine.verifier().verifyAfterBackup(m, after, w.readBackProblems());
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

    /**
     * What {@link #writeBackup} produced.
     *
     * @param manifest the new backup's manifest, written
     * @param readBackProblems payloads that did not read back as written (empty when all did): each
     *     payload this backup stores was forced, read back from disk and compared byte for byte with
     *     what was written, and its decompressed bytes with the source bytes
     */
    record Written(Manifest manifest, List<String> readBackProblems) {
    }

    Written writeBackup(BackupType type, @Nullable Manifest parent, String description, Catalog cat) {
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
        List<Pending> pending = new ArrayList<>();
        List<String> readBackProblems = new ArrayList<>();
        long[] done = {0};
        try {
            // 1. on this thread, in order: the stat look of every file (cheap); unchanged files reuse
            // their entry at once, the rest become work
            for (Map.Entry<String, BackupSource.SourceFile> f : files.entrySet()) {
                String rel = f.getKey();
                long items = counts.getOrDefault(rel, -1L);
                Manifest.FileEntry prev = parent == null ? null : parent.files().get(rel);
                Path path = f.getValue().path();
                ChangeDetector.@Nullable Look look;
                try {
                    look = path == null ? null : detector.look(path, prev); // rendered files: always hashed
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed by another tool since the listing; it is not part of this state
                }
                if (look != null && look.unchanged() && prev != null) {
                    // the stat tuple proves the bytes are the recorded ones; trustFileTimes only
                    // guesses, so its reuse passes no stat tuple on
                    ChangeDetector.FileStat carried = detector.mode() == ChangeDetector.Mode.STAT_CACHE
                            ? look.stat() : null;
                    state.put(rel, new Manifest.FileEntry(prev.sha256(), prev.size(), prev.storedIn(),
                            prev.storedName(), prev.storedSize(), prev.storedSha256(), look.mtimeMillis(),
                            items >= 0 ? items : prev.items(), carried));
                    progress.progress("backup", ++done[0], files.size(), rel);
                    continue;
                }
                String folder = rel.substring(0, rel.indexOf('/'));
                if (createdDirs.add(folder)) {
                    Files.createDirectories(dir.resolve(folder));
                }
                pending.add(new Pending(rel, f.getValue(), look, prev, items));
            }
            // 2. read, hash, compress, write and read back on all cores; results in order, here. A worker
            // also waits for its payload's fsync, so one more worker than cores keeps the cores busy,
            // unless the store holds the tree in memory: then the heap is what peaks (a prune's backup),
            // and one worker per core keeps it lower (measured in benchmarks/RESULTS.md, issue 16)
            // largest files first: the last files to finish are small ones, so the workers end together
            // instead of one compressing a patterns file alone at the end (the manifest map is sorted,
            // and problems are sorted below, so the order changes nothing else but the progress lines)
            pending.sort(Comparator.comparingLong(Pending::expectedSize).reversed());
            String backupId = id;
            Path backupDir = dir;
            OrderedParallel.run("backup", listing.itemsInMemory() ? OrderedParallel.defaultThreads()
                    : OrderedParallel.threadsWithDiskWaits(), pending,
                    p -> p.write(backupId, backupDir, codec, config.verifyAfterBackup(), listing.counter()),
                    (p, r) -> {
                        if (r == null) {
                            return; // removed by another tool since the listing
                        }
                        ChangeDetector.FileStat stat = null;
                        long mtime = -1;
                        if (p.src.path() != null && p.look != null) {
                            stat = detector.afterRead(p.src.path(), p.look, r.size());
                            mtime = p.look.mtimeMillis();
                        } else {
                            detector.countHashed();
                        }
                        if (r.problem() != null) {
                            readBackProblems.add(p.rel + ": " + r.problem());
                        }
                        Manifest.FileEntry prev = p.prev;
                        state.put(p.rel, r.storedIn() == null
                                ? new Manifest.FileEntry(prev.sha256(), r.size(), prev.storedIn(), prev.storedName(),
                                        prev.storedSize(), prev.storedSha256(), mtime,
                                        p.items >= 0 ? p.items : prev.items(), stat)
                                : new Manifest.FileEntry(r.sha256(), r.size(), r.storedIn(), r.storedName(),
                                        r.storedSize(), r.storedSha256(), mtime, r.items(), stat));
                        progress.progress("backup", ++done[0], files.size(), p.rel);
                    });
            // each payload was forced before it was read back; the folders that name them now, before
            // the manifest that publishes them
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
        readBackProblems.sort(null);
        return new Written(m, List.copyOf(readBackProblems));
    }

    /** A file whose bytes this backup reads: the source, its stat look and the parent's entry. */
    private record Pending(String rel, BackupSource.SourceFile src, ChangeDetector.@Nullable Look look,
            Manifest.@Nullable FileEntry prev, long items) {

        /** @return the file's size as its stat look saw it, or -1 if unknown (rendered files) */
        long expectedSize() {
            return look == null ? -1 : look.size();
        }

        /**
         * Reads the file, hashes it, and unless the parent holds the same bytes compresses it, writes
         * the payload (new file), forces it and, if {@code readBack}, reads it back ({@link #readBack}). Runs on a worker thread: touches
         * nothing shared.
         *
         * @return what was stored, or null if the file is gone since the listing
         */
        @Nullable Stored write(String id, Path dir, CompressionCodec codec, boolean readBack,
                BackupSource.ItemCounter counter) throws IOException {
            byte[] bytes;
            try {
                bytes = src.read();
            } catch (java.nio.file.NoSuchFileException gone) {
                return null;
            }
            String sha = Hashing.sha256Hex(bytes);
            if (prev != null && prev.sha256().equals(sha) && (prev.size() < 0 || prev.size() == bytes.length)) {
                return new Stored(sha, bytes.length, null, "", -1, "", items, null); // referenced, not stored
            }
            long counted = items >= 0 ? items : counter.count(rel, bytes);
            byte[] packed = codec.compress(bytes);
            String storedName = rel + codec.fileSuffix();
            Path out = dir.resolve(storedName);
            Files.write(out, packed, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            AtomicFiles.force(out);
            return new Stored(sha, bytes.length, id, storedName, packed.length, Hashing.sha256Hex(packed), counted,
                    readBack ? readBack(out, packed, bytes, codec) : null);
        }
    }

    /**
     * The check verify-after-backup makes of a payload this backup wrote, done while its bytes are
     * still at hand: the file read back from disk must equal what was written, and decompress to
     * the source bytes. Byte-for-byte comparison is at least as strong as comparing SHA-256s and
     * spares hashing every byte twice more.
     *
     * @return the problem, or null if the payload reads back as written
     */
    static @Nullable String readBack(Path out, byte[] packed, byte[] plain, CompressionCodec codec)
            throws IOException {
        byte[] back = Files.readAllBytes(out);
        if (!java.util.Arrays.equals(back, packed)) {
            return out + " does not read back as written (" + back.length + " bytes read, " + packed.length
                    + " written)";
        }
        // decompressed a buffer at a time and compared as it comes: no second copy of the source in memory
        try (java.io.InputStream in = codec.decompressing(new java.io.ByteArrayInputStream(back))) {
            byte[] buf = new byte[1 << 16];
            int at = 0;
            for (int n = in.readNBytes(buf, 0, buf.length); n > 0; n = in.readNBytes(buf, 0, buf.length)) {
                if (n > plain.length - at || java.util.Arrays.mismatch(buf, 0, n, plain, at, at + n) >= 0) {
                    return out + " does not decompress to the bytes that were backed up";
                }
                at += n;
            }
            return at == plain.length ? null : out + " does not decompress to the bytes that were backed up ("
                    + at + " of " + plain.length + " bytes)";
        } catch (IOException | RuntimeException e) {
            return out + " does not decompress: " + e.getMessage();
        }
    }

    /**
     * The outcome of one {@link Pending#write}: the source's SHA-256 and size, and where its bytes are
     * stored ({@code storedIn} null: the parent's payload is referenced), and its item count (from
     * the listing, or counted from the bytes read; -1 unknown).
     */
    private record Stored(String sha256, long size, @Nullable String storedIn, String storedName, long storedSize,
            String storedSha256, long items, @Nullable String problem) {
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
}
