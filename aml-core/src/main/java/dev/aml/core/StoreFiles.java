package dev.aml.core;

import dev.aml.core.internal.TreeLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The optional file capability of a {@link MemoryStore} ({@link MemoryStore#files()}): a store whose
 * items live in a Loom tree on disk says where its files are and lets maintenance rewrite them in
 * place. Stores without files (PostgreSQL, in memory) have none, and maintenance then works on items
 * through the SPI alone. This is the one place maintenance learns the tree's layout (agent folders,
 * item file names) from.
 */
public interface StoreFiles {

    /**
     * One item file on disk.
     *
     * @param agent the agent whose folder holds it
     * @param kind the kind of items it holds
     * @param path the file: the live {@code <kind>.json} or its {@code .json.gz} form
     */
    record ItemFile(AgentId agent, ItemKind kind, Path path) {
        /** Rejects nulls. */
        public ItemFile {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * The standard layout of a Loom tree at {@code root} (one folder per agent, {@code patterns.json}
     * …) that {@code store} does not own as files: in-place rewrites and consistent copies only run
     * {@linkplain MemoryStore#quiesced quiesced} on {@code store}, which adopts nothing. For a tree
     * next to a store without files (or a test store that pretends a directory); a store's own files
     * are {@link MemoryStore#files()}, whose rewrites the store adopts.
     *
     * @param root the memory root
     * @param store the store whose writes a rewrite or copy holds back
     * @return the tree's files
     */
    static StoreFiles of(Path root, MemoryStore store) {
        return TreeLayout.quiescedBy(root, store);
    }

    /** @return the memory root, e.g. {@code .loom/memory} */
    Path root();

    /**
     * @return the names of the folders under the root that hold agents (valid agent names, not
     *     following links), sorted; unreadable agents included
     * @throws IOException if the root cannot be listed
     */
    List<String> agentFolders() throws IOException;

    /**
     * @param agent an agent
     * @param kind a kind
     * @return the live file of the agent's items of that kind, whether or not it exists
     */
    Path itemFile(AgentId agent, ItemKind kind);

    /**
     * @param agent an agent
     * @return the agent's item files that exist as regular files: per kind in {@link ItemKind} order,
     *     the live file, then its {@code .gz} form (left by Loom's own compressor)
     */
    List<ItemFile> itemFiles(AgentId agent);

    /**
     * Runs {@code action}, which rewrites some of the store's own files in place without changing the
     * items they hold (compresses them, or deletes empty ones), on a consistent at-rest state; the
     * store then adopts those files as they are now, so that its next checkpoint does not take them
     * for another program's edit.
     *
     * @param files the files the action may rewrite (files that are not the store's are ignored)
     * @param action what to run; it must not change the items any of those files holds
     * @param <T> the result type
     * @return the action's result
     * @throws ConcurrentOperationException if another program changed one of the store's files among
     *     {@code files}; the action did not run
     */
    <T> T rewritingInPlace(Collection<Path> files, Supplier<T> action);

    /**
     * @return whether the store holds its items in memory now, so that asking it for them (to count
     *     them, say) costs nothing; false while a file store has not read its item files yet (it reads
     *     them on first use), when a caller that reads the files anyway can count their items itself
     */
    default boolean itemsLoaded() {
        return true;
    }

    /**
     * Runs {@code action} (copying files, for a backup) on a consistent at-rest state: the files then
     * hold every acknowledged write and no write lands until the action returns.
     *
     * @param action what to run
     * @param <T> the result type
     * @return the action's result
     */
    <T> T consistentCopy(Supplier<T> action);
}
