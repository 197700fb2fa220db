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
 * The Loom tree's layout (one folder per agent, one file per kind, {@code .gz} forms beside them),
 * shared by every {@link StoreFiles}: subclasses say how rewrites and consistent copies run. The file
 * store's own files ({@code aml-store}) adopt in-place rewrites; {@link #quiescedBy} is a tree a store
 * only holds writes back for.
 */
public abstract class TreeLayout implements StoreFiles {

    private final Path root;

    /**
     * @param root the memory root
     */
    protected TreeLayout(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * @param root the memory root
     * @param store the store whose writes rewrites and copies hold back
     * @return the layout of the tree at {@code root}, whose rewrites and copies run quiesced on {@code store}
     */
    public static TreeLayout quiescedBy(Path root, MemoryStore store) {
        Objects.requireNonNull(store, "store");
        return new Quiesced(root, store);
    }

    /** A tree the store does not own: rewrites and copies only hold the store's writes back. */
    private static final class Quiesced extends TreeLayout {
        private final MemoryStore store;

        Quiesced(Path root, MemoryStore store) {
            super(root);
            this.store = store;
        }

        @Override
        public <T> T rewritingInPlace(Collection<Path> files, Supplier<T> action) {
            Objects.requireNonNull(files, "files");
            return store.quiesced(action);
        }

        @Override
        public <T> T consistentCopy(Supplier<T> action) {
            return store.quiesced(action);
        }
    }

    @Override
    public final Path root() {
        return root;
    }

    @Override
    public final List<String> agentFolders() throws IOException {
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
    public final Path itemFile(AgentId agent, ItemKind kind) {
        return root.resolve(agent.name()).resolve(kind.fileName());
    }

    @Override
    public final List<ItemFile> itemFiles(AgentId agent) {
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
    public String toString() {
        return getClass().getSimpleName() + "[" + root + "]";
    }
}
