package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The Loom tree's layout (one folder per agent, one file per kind, {@code .gz} forms beside them):
 * {@link StoreFiles} of a store with a memory root. The file store uses it for its own files; rewrites
 * and consistent copies go through the store.
 */
public final class TreeLayout implements StoreFiles {

    private final Path root;
    private final MemoryStore store;

    /**
     * @param root the memory root
     * @param store the store that has the tree open
     */
    public TreeLayout(Path root, MemoryStore store) {
        this.root = Objects.requireNonNull(root, "root");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<String> agentFolders() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && AgentId.isValid(name)) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }

    @Override
    public Path itemFile(AgentId agent, ItemKind kind) {
        return root.resolve(agent.name()).resolve(kind.fileName());
    }

    @Override
    public List<ItemFile> itemFiles(AgentId agent) {
        List<ItemFile> out = new ArrayList<>();
        for (ItemKind kind : ItemKind.values()) {
            Path live = itemFile(agent, kind);
            for (Path file : List.of(live, live.resolveSibling(kind.fileName() + ".gz"))) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new ItemFile(agent, kind, file));
                }
            }
        }
        return out;
    }

    @Override
    public <T> T rewritingInPlace(Collection<Path> files, Supplier<T> action) {
        return store.rewritingFilesInPlace(files, action);
    }

    @Override
    public <T> T consistentCopy(Supplier<T> action) {
        return store.quiesced(action);
    }
}
