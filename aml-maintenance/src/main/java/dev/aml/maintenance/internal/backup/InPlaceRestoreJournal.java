package dev.aml.maintenance.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.internal.io.AtomicFiles;
import dev.aml.loom.LoomJson;
import dev.aml.loom.TimestampStyle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Makes an in-place restore all-or-nothing under {@code kill -9}, and lets the next run say what happened.
 *
 * <h2>Why</h2>
 * An in-place restore changes two kinds of things: the items, through the store in one atomic batch
 * (one journal entry: committed or not), and the other files of the tree ({@code global/index.json},
 * {@code config/…}, item files of agents the store cannot read), which are plain files. Written one by
 * one after the items, a crash in between left the restored items beside the old files: a mix.
 *
 * <h2>How</h2>
 * <ol>
 *   <li>{@link #begin}: every file the restore will write is staged under
 *       {@code global/.aml-restore-staging/} (fsynced), then the marker {@code global/aml-restore.journal}
 *       is written atomically: the backup id, the safety backup id, the files to move and delete, and a
 *       SHA-256 of the store's items before and after (the restored items). Nothing live has changed
 *       yet; Loom's tools and backups ignore both names.</li>
 *   <li>The items are committed through the store (the commit point).</li>
 *   <li>{@link #finish}: each staged file is renamed into place (atomic, fsynced), the deletions are
 *       done, then the marker is deleted and the staging folder removed.</li>
 * </ol>
 * The next writer that opens the tree ({@link #recover}) finds a marker left by a crash and compares
 * the store's items with the two digests: the restored items mean the commit happened, so it
 * finishes the moves (each is idempotent); the old items mean it did not, so it drops the staging
 * and the marker and the tree is exactly as before. Either way it returns a sentence saying which,
 * and how to undo (restore the safety backup) or redo (run the restore again). Items of agents the
 * store could not read are left out of the digests (their files are among the moves).
 */
public final class InPlaceRestoreJournal {

    /** The marker, inside {@code global/} (its name contains "journal", so backups skip it). */
    static final String MARKER = "aml-restore.journal";
    /** The staging folder, inside {@code global/} (backups take only plain files of global/). */
    static final String STAGING = ".aml-restore-staging";
    /** The codec of the digests: fixed, so the digest does not depend on a store's settings. */
    private static final LoomJson DIGEST = LoomJson.of(TimestampStyle.UTC_Z, ZoneOffset.UTC);

    private final Path root;
    private final Path marker;
    private final Path staging;

    /** What {@link #recover} found and did. */
    public enum Outcome {
        /** The items had been committed: the remaining files were moved; the tree is the backup's. */
        FINISHED,
        /** The items had not been committed: the staging was dropped; the tree is as before. */
        ROLLED_BACK,
        /** The items are neither the old nor the restored ones: nothing was touched. */
        UNDECIDED,
        /** A read-only open found a marker and left it for the next writer. */
        PENDING
    }

    /**
     * @param outcome what was done
     * @param message one or two sentences for the operator, with the command to undo or redo
     */
    public record Recovery(Outcome outcome, String message) {
    }

    /** @param root the memory root */
    InPlaceRestoreJournal(Path root) {
        this.root = root;
        this.marker = root.resolve("global").resolve(MARKER);
        this.staging = root.resolve("global").resolve(STAGING);
    }

    /**
     * Stages the files and writes the marker.
     *
     * @param backupId the backup being restored
     * @param safetyId the safety backup taken just before
     * @param writes tree-relative path → bytes, for every non-item file the restore writes
     * @param deletes tree-relative paths the restore deletes
     * @param skipAgents agents left out of the digests (their files are among {@code writes}/{@code deletes})
     * @param before digest of the store's items now
     * @param after digest of the items the restore commits
     * @param step called after each staged file (kill points for the crash test)
     * @throws IOException if staging fails (nothing live changed; the staging is left for the next begin)
     */
    void begin(String backupId, String safetyId, Map<String, byte[]> writes, List<String> deletes,
            Set<String> skipAgents, String before, String after, Runnable step) throws IOException {
        deleteTree(staging);
        Files.createDirectories(staging);
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("backup_id", backupId);
        m.put("safety_backup_id", safetyId);
        m.put("items_before_sha256", before);
        m.put("items_after_sha256", after);
        ArrayNode skip = m.putArray("skip_agents");
        skipAgents.forEach(skip::add);
        ArrayNode w = m.putArray("writes");
        for (Map.Entry<String, byte[]> f : writes.entrySet()) {
            Path staged = staging.resolve(f.getKey());
            Files.createDirectories(staged.getParent());
            AtomicFiles.writeDurably(staged, f.getValue());
            AtomicFiles.fsyncDir(staged.getParent());
            w.add(f.getKey());
            step.run();
        }
        ArrayNode d = m.putArray("deletes");
        deletes.forEach(d::add);
        AtomicFiles.fsyncDir(staging);
        AtomicFiles.write(marker, Json.MAPPER.writeValueAsBytes(m));
    }

    /**
     * Moves the staged files into place, does the deletions, then drops the marker and the staging.
     *
     * @param step called after each file (kill points for the crash test)
     * @return the number of files moved
     * @throws IOException if a move fails (the marker stays, so the next writer finishes it)
     */
    int finish(Runnable step) throws IOException {
        JsonNode m = Json.MAPPER.readTree(Files.readAllBytes(marker));
        int moved = 0;
        for (JsonNode n : m.path("writes")) {
            String rel = n.asText();
            requireSafe(rel);
            Path staged = staging.resolve(rel);
            if (Files.exists(staged)) {
                Path live = root.resolve(rel);
                Files.createDirectories(live.getParent());
                try {
                    Files.move(staged, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cannot rename " + staged + " into place atomically", e);
                }
                AtomicFiles.fsyncDir(live.getParent());
                moved++;
            } // else moved before a crash
            step.run();
        }
        for (JsonNode n : m.path("deletes")) {
            requireSafe(n.asText());
            if (Files.deleteIfExists(root.resolve(n.asText()))) {
                AtomicFiles.fsyncDir(root.resolve(n.asText()).getParent());
            }
        }
        Files.delete(marker);
        AtomicFiles.fsyncDir(marker.getParent());
        deleteTree(staging);
        return moved;
    }

    /**
     * Looks for an interrupted in-place restore and finishes or rolls it back (a writable store), or
     * only reports it (a read-only one).
     *
     * @param root the memory root
     * @param store the store, opened on {@code root} (journal replayed)
     * @param command how the operator calls aml on this tree, for the messages ({@code aml <path>})
     * @return what was found and done; empty if no restore was interrupted
     */
    public static Optional<Recovery> recover(Path root, MemoryStore store, String command) {
        InPlaceRestoreJournal j = new InPlaceRestoreJournal(root);
        if (!Files.exists(j.marker)) {
            if (!store.readOnly() && Files.exists(j.staging)) {
                j.quietlyDrop(); // staged files of a restore that never wrote its marker, or finished
            }
            return Optional.empty();
        }
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(Files.readAllBytes(j.marker));
        } catch (IOException e) {
            return Optional.of(new Recovery(Outcome.UNDECIDED, "An in-place restore was interrupted, but its marker "
                    + j.marker + " cannot be read (" + e.getMessage() + "); nothing was changed. Restore again with '"
                    + command + " backup restore --backup-id <id>' (see '" + command + " backup list')."));
        }
        String id = m.path("backup_id").asText();
        String safety = m.path("safety_backup_id").asText();
        String redo = "'" + command + " backup restore --backup-id " + id + "'";
        String undo = "'" + command + " backup restore --backup-id " + safety + "'";
        if (store.readOnly()) {
            return Optional.of(new Recovery(Outcome.PENDING, "An in-place restore of backup " + id + " was interrupted;"
                    + " the next aml command that writes (e.g. '" + command + " backup list') finishes or undoes it."));
        }
        Set<String> skip = new TreeSet<>();
        m.path("skip_agents").forEach(n -> skip.add(n.asText()));
        String now = digest(store, skip);
        try {
            if (now.equals(m.path("items_after_sha256").asText())) {
                int moved = j.finish(() -> { });
                return Optional.of(new Recovery(Outcome.FINISHED, "An in-place restore of backup " + id + " was"
                        + " interrupted after its items were restored; it has now been finished (" + moved
                        + " more file(s) moved into place): the memory is backup " + id + "'s state. To undo it,"
                        + " restore the safety backup taken before it: " + undo + "."));
            }
            if (now.equals(m.path("items_before_sha256").asText())) {
                j.drop();
                return Optional.of(new Recovery(Outcome.ROLLED_BACK, "An in-place restore of backup " + id + " was"
                        + " interrupted before its items were restored; it was rolled back: the memory is exactly as"
                        + " before the restore. To restore it, run " + redo + " again."));
            }
        } catch (IOException e) {
            throw new BackupException("Finishing the interrupted in-place restore of backup " + id + " in " + root
                    + " failed: " + e.getMessage() + ". The marker " + j.marker + " was kept; fix the cause and open"
                    + " the memory again, or restore the safety backup with " + undo + ".", e);
        }
        return Optional.of(new Recovery(Outcome.UNDECIDED, "An in-place restore of backup " + id + " was interrupted,"
                + " and the items are neither those before it nor the restored ones (changed since?); nothing was"
                + " touched and the marker " + j.marker + " was kept. Run " + redo + " to restore the backup, or "
                + undo + " for the state before the restore; either removes the marker."));
    }

    /** Drops the marker and the staging: the restore did not commit. */
    void drop() throws IOException {
        Files.deleteIfExists(marker);
        AtomicFiles.fsyncDir(marker.getParent());
        deleteTree(staging);
    }

    private void quietlyDrop() {
        try {
            deleteTree(staging);
        } catch (IOException e) {
            // harmless leftovers in a hidden folder; the next begin clears them
        }
    }

    /**
     * A SHA-256 over every non-empty item list of every agent (in order, as compact Loom JSON).
     *
     * @param store the store
     * @param skip agents left out
     * @return hex digest
     */
    static String digest(MemoryStore store, Set<String> skip) {
        Set<AgentId> agents = new TreeSet<>(store.agents());
        agents.removeIf(a -> skip.contains(a.name()) || store.unreadableAgents().containsKey(a));
        return digest(agents, store::items);
    }

    /**
     * @param agents the agents
     * @param items their items per kind
     * @return hex digest over the non-empty lists
     */
    static String digest(Set<AgentId> agents, BiFunction<AgentId, ItemKind, List<MemoryItem>> items) {
        MessageDigest sha = Hashing.sha256();
        for (AgentId a : new TreeSet<>(agents)) {
            for (ItemKind kind : ItemKind.values()) {
                List<MemoryItem> list = items.apply(a, kind);
                if (list == null || list.isEmpty()) {
                    continue;
                }
                sha.update((a.name() + "/" + kind.fileName() + "\n").getBytes(StandardCharsets.UTF_8));
                for (MemoryItem item : list) {
                    sha.update(DIGEST.writeItem(item));
                    sha.update((byte) '\n');
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void requireSafe(String rel) throws IOException {
        if (!BackupFiles.safeRelative(rel)) {
            throw new IOException("unexpected path in the restore marker: " + rel);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
