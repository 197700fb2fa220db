package dev.aml.loom;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A store's items as the Loom tree that represents them: one folder per agent and, for every kind
 * the agent has items of, its item file ({@code coder/patterns.json} …) in the bytes
 * {@link LoomJson#write(List)} produces.
 *
 * <p>This is the one definition of "a store as Loom files": a PostgreSQL store's {@code exportTo}
 * writes exactly these files, and a backup of a store without a memory root holds exactly these
 * bytes, so an export and a restored backup of the same state are byte-identical.
 *
 * <p>{@link #of} reads every agent's items once (the lists are the store's immutable snapshots);
 * call it inside {@link MemoryStore#quiesced} to read one consistent state. Rendering is deferred to
 * {@link #render(File)}, so the bytes of one file at a time are in memory.
 */
public final class LoomExport {

    /**
     * One item file of the tree.
     *
     * @param agent the agent whose folder holds it
     * @param kind the kind, which names the file
     * @param items its items in order, never empty
     */
    public record File(AgentId agent, ItemKind kind, List<MemoryItem> items) {

        /** Rejects nulls and empty lists; copies the list. */
        public File {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            items = List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("A Loom export holds no file for a kind without items (" + agent
                        + "/" + kind.fileName() + ")");
            }
        }

        /** @return the path relative to the tree's root, {@code <agent>/<kind file name>} */
        public String relativePath() {
            return agent.name() + "/" + kind.fileName();
        }
    }

    private final SortedSet<AgentId> agents;
    private final List<File> files;
    private final LoomJson json;

    private LoomExport(SortedSet<AgentId> agents, List<File> files, LoomJson json) {
        this.agents = agents;
        this.files = files;
        this.json = json;
    }

    /**
     * Reads every agent's items from the store.
     *
     * @param store the store; wrap the call in {@link MemoryStore#quiesced} for one consistent state
     * @param json the codec that renders the files
     * @return the tree's agents and files
     * @throws dev.aml.core.CorruptDataException if the store cannot read an agent's items (nothing is
     *     ever rendered as empty in their place)
     */
    public static LoomExport of(MemoryStore store, LoomJson json) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(json, "json");
        SortedSet<AgentId> agents = new TreeSet<>(store.agents());
        List<File> files = new ArrayList<>();
        for (AgentId agent : agents) {
            for (ItemKind kind : ItemKind.values()) {
                List<MemoryItem> items = store.items(agent, kind);
                if (!items.isEmpty()) {
                    files.add(new File(agent, kind, items));
                }
            }
        }
        return new LoomExport(java.util.Collections.unmodifiableSortedSet(agents), List.copyOf(files), json);
    }

    /** @return every agent of the store, sorted by name (agents without items included: empty folders) */
    public Set<AgentId> agents() {
        return agents;
    }

    /** @return the item files, by agent then kind; kinds without items have none */
    public List<File> files() {
        return files;
    }

    /**
     * @param file one of {@link #files()}
     * @return its bytes, as {@link LoomJson#write(List)} renders them
     */
    public byte[] render(File file) {
        return json.write(file.items());
    }
}
