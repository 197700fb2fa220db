package dev.aml.store.jdbc.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.DurableFiles;
import dev.aml.loom.LoomExport;
import dev.aml.loom.LoomJson;
import dev.aml.store.jdbc.LoomTransferReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Logical export of a store to a Loom tree and import from one.
 *
 * <p>Export never overwrites: the target must be absent or an empty directory, and every file is
 * written with {@link DurableFiles#write} (temporary file in its folder, fsync, atomic rename, folder
 * fsync), so a crash leaves whole files or none. Import reads and decodes the entire tree before it writes anything, then
 * writes it as one {@link MemoryStore#apply} batch (one transaction), so a damaged tree imports nothing.
 */
public final class LoomTransfer {

    private LoomTransfer() {
    }

    /**
     * @param store the store to read (the caller provides a consistent snapshot)
     * @param json the codec to write files with
     * @param tree the target directory: absent or empty
     * @return what was written
     */
    public static LoomTransferReport export(MemoryStore store, LoomJson json, Path tree) {
        try {
            if (Files.exists(tree)) {
                if (!Files.isDirectory(tree)) {
                    throw new InvalidInputException("Cannot export to " + tree + ": it is a file. Choose an empty or"
                            + " new directory.");
                }
                try (Stream<Path> entries = Files.list(tree)) {
                    if (entries.findAny().isPresent()) {
                        throw new InvalidInputException("Cannot export to " + tree + ": the directory is not empty"
                                + " and export never overwrites. Choose an empty or new directory.");
                    }
                }
            }
            LoomExport files = LoomExport.of(store, json); // every row decoded before anything is written
            Files.createDirectories(tree);
            Map<ItemKind, Long> counts = new EnumMap<>(ItemKind.class);
            for (AgentId agent : files.agents()) {
                Files.createDirectory(tree.resolve(agent.name()));
            }
            for (LoomExport.File file : files.files()) {
                DurableFiles.write(tree.resolve(file.relativePath()), files.render(file));
                counts.merge(file.kind(), (long) file.items().size(), Long::sum);
            }
            DurableFiles.fsyncDirectory(tree); // the agent folders' creation (each file fsynced its folder)
            return new LoomTransferReport(tree, files.agents(), counts);
        } catch (IOException e) {
            throw new UncheckedIOException("Export to " + tree + " failed: " + e.getMessage()
                    + ". Files already written there are complete; delete the directory and retry.", e);
        }
    }

    /**
     * @param store the store to write into
     * @param json the codec to read files with
     * @param tree the Loom tree to read
     * @return what was imported
     */
    public static LoomTransferReport importInto(MemoryStore store, LoomJson json, Path tree) {
        if (!Files.isDirectory(tree)) {
            throw new InvalidInputException("Cannot import from " + tree + ": not a directory. Give the root of a"
                    + " Loom memory tree (the folder that holds one folder per agent).");
        }
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> read = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tree, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!AgentId.isValid(name)) {
                    continue; // global/, config/, monitoring/, hidden folders: not agents
                }
                Map<ItemKind, List<MemoryItem>> kinds = new EnumMap<>(ItemKind.class);
                for (ItemKind kind : ItemKind.values()) {
                    Path file = dir.resolve(kind.fileName());
                    Path gz = dir.resolve(kind.fileName() + ".gz");
                    if (Files.exists(file) && Files.exists(gz)) {
                        throw new CorruptDataException("Agent folder " + dir + " holds both " + kind.fileName()
                                + " and "
                                + kind.fileName() + ".gz; keep the right one and retry. Nothing was imported.",
                                file, -1, CorruptDataException.PositionKind.NONE, null);
                    }
                    Path source = Files.exists(file) ? file : gz;
                    if (Files.exists(source)) {
                        kinds.put(kind, json.read(source, kind));
                    }
                }
                read.put(AgentId.of(name), kinds);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + tree + ": " + e.getMessage() + ". Nothing was imported.",
                    e);
        }
        List<Change> changes = new ArrayList<>();
        Map<ItemKind, Long> counts = new EnumMap<>(ItemKind.class);
        read.forEach((agent, kinds) -> kinds.forEach((kind, items) -> {
            changes.add(Change.replaceAll(agent, kind, items));
            counts.merge(kind, (long) items.size(), Long::sum);
        }));
        store.apply(changes);
        return new LoomTransferReport(tree, read.keySet(), counts);
    }
}
