package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.BackupConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A memory tree on disk as a backup source: the files {@link BackupFiles} selects, read byte for byte
 * (unreadable item files included, so a backup keeps what the store could not parse), with item
 * counts from the store that has the tree open, or, when that store has not read its item files
 * yet (and for the files of agents it could not read), counted by the backup's workers from the
 * bytes they read with the store's reader: the same counts either way, an unreadable file unknown.
 */
final class TreeSource implements BackupSource {

    private static final LoomJson LOOM = LoomJson.defaults();

    private final MemoryStore store;
    private final Path root;

    /**
     * @param store the store that has the tree open (item counts)
     * @param root the memory root, absolute and normalized
     */
    TreeSource(MemoryStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    @Override
    public Optional<Path> root() {
        return Optional.of(root);
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public ChangeDetector changeDetector(BackupConfig config, @Nullable Manifest parent,
            ChangeDetector.StatSource stats) {
        return ChangeDetector.start(config, parent, root, stats);
    }

    @Override
    public Listing list() {
        SortedMap<String, SourceFile> files = new TreeMap<>();
        BackupFiles.scan(root).forEach((rel, path) -> files.put(rel, new OnDisk(path)));
        if (store.files().map(StoreFiles::itemsLoaded).orElse(true)) {
            // counts the store holds; the files it could not read are counted from their bytes
            return new Listing(files, agentFolders(), itemCounts(files), TreeSource::countItems, true);
        }
        // the store has not read the tree (a backup command): the workers count each file they read,
        // with the store's own reader, instead of having the store decode everything first
        return new Listing(files, agentFolders(), Map.of(), TreeSource::countItems, false);
    }

    /** Items of an item file as the store reads them; unknown (-1) for other files and unreadable ones. */
    private static long countItems(String rel, byte[] bytes) {
        ItemKind kind = BackupVerifier.itemKind(rel);
        if (kind == null) {
            return -1;
        }
        try {
            return LOOM.read(bytes, kind, rel).size();
        } catch (CorruptDataException e) {
            return -1; // backed up byte for byte all the same, as unreadable files always are
        }
    }

    private List<String> agentFolders() {
        try {
            return new ArrayList<>(StoreFiles.of(root, store).agentFolders());
        } catch (IOException e) {
            throw new BackupException("Cannot list the memory root " + root + ": " + e.getMessage()
                    + "; nothing was backed up.", e);
        }
    }

    /**
     * Item counts per file, from the store (cheap: it holds them), keyed by the file the store read
     * ({@code patterns.json}, or {@code patterns.json.gz} when only that exists); none for unreadable
     * agents, whose files the workers count one by one.
     */
    private Map<String, Long> itemCounts(Map<String, SourceFile> listed) {
        Map<String, Long> counts = new HashMap<>();
        if (store.files().isEmpty()) {
            return counts;
        }
        for (AgentId agent : store.agents()) {
            if (store.unreadableAgents().containsKey(agent)) {
                continue;
            }
            for (ItemKind kind : ItemKind.values()) {
                String rel = agent.name() + "/" + kind.fileName();
                if (!listed.containsKey(rel) && listed.containsKey(rel + ".gz")) {
                    rel += ".gz";
                }
                try {
                    counts.put(rel, (long) store.items(agent, kind).size());
                } catch (CorruptDataException e) {
                    // counted from its bytes by the workers; the file itself is backed up byte for byte
                }
            }
        }
        return counts;
    }

    /** A file of the tree. */
    private record OnDisk(Path path) implements SourceFile {
        @Override
        public byte[] read() throws IOException {
            return Files.readAllBytes(path);
        }
    }
}
