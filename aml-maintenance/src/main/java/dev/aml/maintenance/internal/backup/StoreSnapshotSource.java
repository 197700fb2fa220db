package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.MemoryStore;
import dev.aml.loom.LoomExport;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.BackupConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A store without a memory root (PostgreSQL, in memory) as a backup source: the store's items, read
 * from one consistent state, rendered as the Loom tree {@link LoomExport} defines, byte for byte what
 * {@code JdbcMemoryStore.exportTo} writes. A backup of such a store is therefore a logical export in
 * Loom's layout: {@code restore(id, dir)} gives a Loom tree any file store opens.
 *
 * <p>Consistency comes from the engine calling {@link #list()} inside {@link MemoryStore#quiesced}
 * (a REPEATABLE READ snapshot on PostgreSQL, the write lock in memory); the item lists are read there
 * and rendered lazily, one file at a time, while the engine still holds that state.
 *
 * <p>Data the store cannot decode is never backed up as empty: the backup stops and names the agent.
 * Files have no modification time, so incrementals compare every file by SHA-256.
 */
final class StoreSnapshotSource implements BackupSource {

    private final MemoryStore store;
    private final LoomJson json;

    /**
     * @param store the store
     * @param json the codec that renders the files (the store's own: {@link LoomJson#defaults()})
     */
    StoreSnapshotSource(MemoryStore store, LoomJson json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public Optional<Path> root() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public ChangeDetector changeDetector(BackupConfig config, @Nullable Manifest parent,
            ChangeDetector.StatSource stats) {
        return ChangeDetector.forRenderedFiles();
    }

    @Override
    public Listing list() {
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        if (!unreadable.isEmpty()) {
            throw unreadable(unreadable.keySet().iterator().next(), unreadable.values().iterator().next());
        }
        LoomExport export;
        try {
            export = LoomExport.of(store, json);
        } catch (CorruptDataException e) {
            throw new BackupException("Cannot back up " + store.describe() + ": " + e.getMessage() + " A backup"
                    + " never records unreadable data as empty, so nothing was backed up; fix or delete that item,"
                    + " or take a physical backup (pg_dump) instead.", e);
        }
        SortedMap<String, SourceFile> files = new TreeMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (LoomExport.File f : export.files()) {
            files.put(f.relativePath(), new Rendered(export, f));
            counts.put(f.relativePath(), (long) f.items().size());
        }
        List<String> agents = export.agents().stream().map(AgentId::name).toList();
        return new Listing(files, agents, counts);
    }

    private BackupException unreadable(AgentId agent, CorruptDataException cause) {
        return new BackupException("Cannot back up " + store.describe() + ": the items of agent '" + agent
                + "' cannot be read (" + cause.getMessage() + "). A backup never records unreadable data as empty,"
                + " so nothing was backed up; fix or delete the damaged item, or take a physical backup (pg_dump)"
                + " instead.", cause);
    }

    /** One item file, rendered when the engine reads it. */
    private record Rendered(LoomExport export, LoomExport.File file) implements SourceFile {
        @Override
        public @Nullable Path path() {
            return null;
        }

        @Override
        public byte[] read() {
            return export.render(file);
        }
    }
}
