package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.BackupException;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.RestoreReport;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Restores backups: into a new folder through a staged sibling folder, or in place through the store as one batch after a safety backup. Part of {@link BackupEngine}, which owns the shared state and catalog. */
final class BackupRestorer {

    private final BackupEngine engine;
    private final MemoryStore store;
    private final @Nullable Path memoryRoot;
    private final Path backupRoot;
    private final ProgressListener progress;
    private final LoomJson loom;

    BackupRestorer(BackupEngine engine) {
        this.engine = engine;
        this.store = engine.store;
        this.memoryRoot = engine.memoryRoot;
        this.backupRoot = engine.backupRoot;
        this.progress = engine.progress;
        this.loom = engine.loom;
    }

    RestoreReport restore(String id, Path target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        return locked("restore", lock -> restoreLocked(id, target, lock));
    }

    RestoreReport restoreInPlace(String id) {
        Objects.requireNonNull(id, "id");
        return locked("restore", lock -> restoreLocked(id, null, lock));
    }

    RestoreReport restoreAt(Instant instant, Path target) {
        Objects.requireNonNull(target, "target");
        return restore(newestAt(instant), target);
    }

    RestoreReport restoreInPlaceAt(Instant instant) {
        return restoreInPlace(newestAt(instant));
    }

    String newestAt(Instant instant) {
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
    RestoreReport restoreLocked(String id, @Nullable Path target, MaintenanceLock lock) {
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
    long[] writeFiles(Manifest m, Catalog cat, Path dir) throws IOException {
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

    RestoreReport restoreInPlace(Manifest m, Catalog cat, List<String> chain, MaintenanceLock lock, long t0) {
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
        if (memoryRoot == null) {
            store.apply(changes);
            progress.progress("restore", 1, 2, "items replaced");
            store.checkpoint();
            progress.progress("restore", 2, 2, "items checkpointed");
            return new RestoreReport(m.id(), chain, null, true, safety.id(), itemFiles(items), itemBytes(plain),
                    itemCount, Duration.ofNanos(System.nanoTime() - t0));
        }
        // 4. Other files (and item files of agents the store could not read): staged with a marker before
        //    the items are committed, moved into place after (InPlaceRestoreJournal: old state or restored).
        Map<String, byte[]> writes = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        Set<String> skip = new TreeSet<>();
        for (String rel : direct) {
            skip.add(rel.substring(0, rel.indexOf('/')));
            byte[] b = plain.get(rel);
            if (b != null) {
                writes.put(rel, b);
            } else if (Files.exists(memoryRoot.resolve(rel))) {
                deletes.add(rel); // not in the backup: the unreadable file is kept in the safety backup
            }
        }
        for (Map<String, byte[]> more : List.of(otherFiles, rawItemFiles)) {
            more.forEach((rel, b) -> writes.putIfAbsent(rel, b));
        }
        rawItemFiles.keySet().forEach(rel -> skip.add(rel.substring(0, rel.indexOf('/'))));
        Set<AgentId> restoredAgents = new TreeSet<>(items.keySet());
        restoredAgents.removeIf(a -> skip.contains(a.name()));
        InPlaceRestoreJournal journal = new InPlaceRestoreJournal(memoryRoot);
        int[] staged = {0};
        try {
            journal.begin(m.id(), safety.id(), writes, deletes, skip, InPlaceRestoreJournal.digest(store, skip),
                    InPlaceRestoreJournal.digest(restoredAgents,
                            (a, k) -> items.getOrDefault(a, Map.of()).getOrDefault(k, List.of())),
                    () -> progress.progress("restore staged", ++staged[0], writes.size(), ""));
        } catch (IOException e) {
            throw new BackupException("Staging the files of " + m.id() + " in " + memoryRoot + " failed: "
                    + e.getMessage() + ". Nothing was changed.", e);
        }
        store.apply(changes); // the commit point: a crash before it rolls back, after it finishes
        progress.progress("restore", 1, 2, "items replaced");
        store.checkpoint();
        progress.progress("restore", 2, 2, "items checkpointed");
        int[] moved = {0};
        try {
            journal.finish(() -> progress.progress("restore moved", ++moved[0], writes.size(), ""));
        } catch (IOException e) {
            throw new BackupException("Restoring the non-item files of " + m.id() + " into " + memoryRoot
                    + " failed: " + e.getMessage() + ". The items were restored; the next aml command on the tree"
                    + " finishes the rest, or restore the state before it from backup " + safety.id() + ".", e);
        }
        int files = writes.size();
        long bytes = writes.values().stream().mapToLong(b -> b.length).sum();
        for (Map.Entry<AgentId, Map<ItemKind, List<MemoryItem>>> a : items.entrySet()) {
            if (!unreadable.containsKey(a.getKey())) {
                files += a.getValue().size();
            }
        }
        return new RestoreReport(m.id(), chain, memoryRoot, true, safety.id(), files, bytes + itemBytes(plain),
                itemCount, Duration.ofNanos(System.nanoTime() - t0));
    }

    static int itemFiles(Map<AgentId, Map<ItemKind, List<MemoryItem>>> items) {
        return items.values().stream().mapToInt(Map::size).sum();
    }

    static long itemBytes(Map<String, byte[]> plain) {
        long n = 0;
        for (Map.Entry<String, byte[]> f : plain.entrySet()) {
            if (itemKind(f.getKey()) != null) {
                n += f.getValue().length;
            }
        }
        return n;
    }

    // ---------------------------------------------------------- shared with the other parts of the engine

    private Catalog catalog(boolean strictRegistry) {
        return engine.catalog(strictRegistry);
    }

    private BackupInfo createFull(String description) {
        return engine.writer().createFull(description);
    }

    private BackupInfo createFull(String description, MaintenanceLock held) {
        return engine.writer().createFull(description, held);
    }

    private static void deleteTree(Path p) {
        BackupEngine.deleteTree(p);
    }

    private static boolean isEmptyDir(Path p) {
        return BackupEngine.isEmptyDir(p);
    }

    private static @Nullable ItemKind itemKind(String rel) {
        return BackupVerifier.itemKind(rel);
    }

    private <T> T locked(String operation, java.util.function.Function<MaintenanceLock, T> action) {
        return engine.locked(operation, action);
    }

    private BackupException notFound(String id) {
        return engine.notFound(id);
    }

    private byte[] readPayload(String rel, Manifest.FileEntry e, Catalog cat) {
        return engine.verifier().readPayload(rel, e, cat);
    }
}
