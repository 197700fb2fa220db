package dev.aml.store.internal;

import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.TreeLayout;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The file store's {@link StoreFiles}: the tree's standard layout, with in-place rewrites that the
 * store adopts. A rewrite runs {@linkplain MemoryStore#quiesced quiesced} (checkpointed, writes held
 * back) and under the checkpoint lock; it refuses to start if another program changed one of the
 * files it names, and afterwards records the files' new state as the store's own, so that the next
 * checkpoint does not take a recompressed file for an external edit ({@link Checkpointer#rewritingInPlace}).
 * A consistent copy is a plain quiesced run: the files then hold every acknowledged write.
 */
public final class TreeStoreFiles extends TreeLayout {

    private final MemoryStore store;
    private final Checkpointer checkpoints;
    private final BooleanSupplier itemsLoaded;

    /**
     * @param root the memory root
     * @param store the file store that has the tree open
     * @param checkpoints its checkpointer, which checks and records the file states
     * @param itemsLoaded whether the store has read its item files yet
     */
    public TreeStoreFiles(Path root, MemoryStore store, Checkpointer checkpoints, BooleanSupplier itemsLoaded) {
        super(root);
        this.store = Objects.requireNonNull(store, "store");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.itemsLoaded = Objects.requireNonNull(itemsLoaded, "itemsLoaded");
    }

    @Override
    public boolean itemsLoaded() {
        return itemsLoaded.getAsBoolean();
    }

    @Override
    public <T> T rewritingInPlace(Collection<Path> files, Supplier<T> action) {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(action, "action");
        return store.quiesced(() -> checkpoints.rewritingInPlace(files, action));
    }

    @Override
    public <T> T consistentCopy(Supplier<T> action) {
        return store.quiesced(action);
    }
}
