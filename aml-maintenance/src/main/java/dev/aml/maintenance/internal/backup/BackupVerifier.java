package dev.aml.maintenance.internal.backup;

import dev.aml.core.AmlException;
import dev.aml.core.BackupException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.VerifyReport;
import dev.aml.maintenance.internal.io.OrderedParallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Verifies backups (the whole chain, or cheaply after a backup: chain complete, holders list their payloads) and reads their payload files, checking each SHA-256. Part of {@link BackupEngine}, which owns the shared state and catalog. */
final class BackupVerifier {

    private final BackupEngine engine;
    private final MemoryStore store;
    private final Path backupRoot;
    private final ProgressListener progress;
    private final LoomJson loom;

    BackupVerifier(BackupEngine engine) {
        this.engine = engine;
        this.store = engine.store;
        this.backupRoot = engine.backupRoot;
        this.progress = engine.progress;
        this.loom = engine.loom;
    }

    VerifyReport verify(String id, boolean drill) {
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
        return verify(m, cat, drill);
    }

    /**
     * Verifies a backup thoroughly ({@link #verify(String, boolean)}): every file of its state is
     * read from its holder, decompressed and both SHA-256s recomputed; with {@code drill}, restored
     * into a scratch folder and parsed.
     */
    VerifyReport verify(Manifest m, Catalog cat, boolean drill) {
        return verify(m, cat, drill, false, List.of());
    }

    /**
     * Verifies a backup right after it was written. It stays thorough for what this backup wrote:
     * the writer forced each payload, read it back from disk and compared it byte for byte with what
     * it wrote, and its decompressed bytes with the source ({@code readBackProblems} lists any that
     * failed); here each must still exist with its recorded size. What it references is checked
     * cheaply: the chain must be complete (each manifest passed its own checksum when the catalog
     * was read), the holder of each referenced file must be in the chain and list exactly that
     * payload in its own state, and the payload must exist with the recorded size. A holder that was
     * not verified when it was written (verification was off, or a Loom-made backup) gets its
     * referenced payloads decompressed and hashed here. So an incremental costs about what it
     * wrote, not a re-read of the whole chain, and no byte is hashed twice.
     */
    VerifyReport verifyAfterBackup(Manifest m, Catalog cat, List<String> readBackProblems) {
        return verify(m, cat, false, true, readBackProblems);
    }

    private VerifyReport verify(Manifest m, Catalog cat, boolean drill, boolean afterBackup,
            List<String> readBackProblems) {
        List<String> problems = new ArrayList<>();
        Map<String, Manifest> chain = new LinkedHashMap<>();
        try {
            cat.chain(m).forEach(c -> chain.put(c.id(), c));
        } catch (BackupException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(readBackProblems);
        long[] totals = new long[3]; // files read, plain bytes, files seen
        List<Map.Entry<String, Manifest.FileEntry>> entries = new ArrayList<>(m.files().entrySet());
        try {
            // payloads are read, inflated and hashed on all cores; problems are collected in file order
            OrderedParallel.run("verify", OrderedParallel.defaultThreads(), entries,
                    f -> check(f.getKey(), f.getValue(), m, chain, cat, afterBackup),
                    (f, c) -> {
                        progress.progress("verify", ++totals[2], entries.size(), f.getKey());
                        if (c.problem() != null) {
                            problems.add(c.problem());
                        } else if (c.plainBytes() >= 0) {
                            totals[0]++;
                            totals[1] += c.plainBytes();
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // check() reports I/O failures as problems
        }
        long items = 0;
        if (drill && problems.isEmpty()) {
            try {
                items = drill(m, cat, problems);
            } catch (IOException | AmlException ex) {
                problems.add("restore drill failed: " + ex.getMessage());
            }
        }
        return new VerifyReport(m.id(), List.copyOf(chain.keySet()), (int) totals[0], totals[1], drill, items,
                problems);
    }

    /**
     * What checking one file of a backup's state found.
     *
     * @param plainBytes the file's size if its bytes were checked, -1 if only its presence was
     * @param problem what is wrong, or null
     */
    private record Checked(long plainBytes, @Nullable String problem) {
    }

    /** Checks one file of {@code m}'s state (on a worker thread: reads only). */
    private Checked check(String rel, Manifest.FileEntry e, Manifest m, Map<String, Manifest> chain, Catalog cat,
            boolean afterBackup) {
        Manifest holder = chain.get(e.storedIn());
        if (holder == null && !chain.isEmpty()) {
            return new Checked(-1, rel + ": stored in " + e.storedIn() + ", which is not in the chain "
                    + chain.keySet());
        }
        if (afterBackup && holder != null && holder.id().equals(m.id())) {
            // read back and compared byte for byte by the writer; still there with its size?
            return new Checked(e.size(), referencedPayloadHeld(rel, e, holder).orElse(null));
        }
        if (afterBackup && holder != null && holder.verified()) {
            return new Checked(-1, referencedPayloadHeld(rel, e, holder).orElse(null));
        }
        try {
            return new Checked(readPayload(rel, e, cat).length, null);
        } catch (BackupException ex) {
            return new Checked(-1, ex.getMessage());
        }
    }

    /** The cheap check of a payload a new backup references in a verified holder: the problem, if any. */
    Optional<String> referencedPayloadHeld(String rel, Manifest.FileEntry e, Manifest holder) {
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

    long drill(Manifest m, Catalog cat, List<String> problems) throws IOException {
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
                                + " were recorded when the backup was taken");
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

    static @Nullable ItemKind itemKind(String rel) {
        String folder = rel.substring(0, rel.indexOf('/'));
        if (BackupFiles.SHARED_FOLDERS.contains(folder)) {
            return null;
        }
        return ItemKind.forFileName(rel.substring(rel.indexOf('/') + 1));
    }

    /** Reads, decompresses and checks one file of a backup's state. */
    byte[] readPayload(String rel, Manifest.FileEntry e, Catalog cat) {
        if (!BackupFiles.safeRelative(rel) || !BackupFiles.safeRelative(e.storedName()) || !BackupIds.isId(e.storedIn())) {
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
    Optional<byte[]> readFile(String id, String rel) {
        Catalog cat = catalog(false);
        Manifest m = cat.complete().get(id);
        if (m == null) {
            throw notFound(id);
        }
        Manifest.FileEntry e = m.files().get(rel);
        return e == null ? Optional.empty() : Optional.of(readPayload(rel, e, cat));
    }

    // ---------------------------------------------------------- shared with the other parts of the engine

    private Catalog catalog(boolean strictRegistry) {
        return engine.catalog(strictRegistry);
    }

    private static void deleteTree(Path p) {
        BackupEngine.deleteTree(p);
    }

    private BackupException notFound(String id) {
        return engine.notFound(id);
    }

    private long[] writeFiles(Manifest m, Catalog cat, Path dir) throws IOException {
        return engine.restorer().writeFiles(m, cat, dir);
    }
}
