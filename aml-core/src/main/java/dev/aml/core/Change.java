package dev.aml.core;

import java.util.List;
import java.util.Objects;

/**
 * One change to a store, applied with others as one atomic batch by {@link MemoryStore#apply(List)}.
 *
 * <p>Item files keep their order: an {@link Upsert} replaces the first item with the same id in
 * place or appends a new one; a {@link Delete} removes every item with that id; a
 * {@link ReplaceAll} sets the whole list of one kind for one agent (garbage collection, pruning and
 * restore use it to keep exact order and duplicates under control).
 */
public sealed interface Change permits Change.Upsert, Change.Delete, Change.ReplaceAll {

    /** @return the agent whose memory changes */
    AgentId agent();

    /** @return the kind of item that changes */
    ItemKind kind();

    /**
     * @param agent the agent
     * @param item the new or changed item
     * @return an upsert
     */
    static Change upsert(AgentId agent, MemoryItem item) {
        return new Upsert(agent, item);
    }

    /**
     * @param agent the agent
     * @param kind the item kind
     * @param id the id to remove
     * @return a delete
     */
    static Change delete(AgentId agent, ItemKind kind, String id) {
        return new Delete(agent, kind, id);
    }

    /**
     * @param agent the agent
     * @param kind the item kind
     * @param items the complete new list, in order; every item must be of {@code kind}
     * @return a replacement of the whole list
     */
    static Change replaceAll(AgentId agent, ItemKind kind, List<? extends MemoryItem> items) {
        return new ReplaceAll(agent, kind, List.copyOf(items));
    }

    /**
     * Insert or replace one item.
     *
     * @param agent the agent
     * @param item the item
     */
    record Upsert(AgentId agent, MemoryItem item) implements Change {
        /** Rejects nulls. */
        public Upsert {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(item, "item");
        }

        @Override
        public ItemKind kind() {
            return item.kind();
        }
    }

    /**
     * Remove every item with an id.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     */
    record Delete(AgentId agent, ItemKind kind, String id) implements Change {
        /** Rejects nulls. */
        public Delete {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Replace the whole list of one kind.
     *
     * @param agent the agent
     * @param kind the kind
     * @param items the new list, in order
     */
    record ReplaceAll(AgentId agent, ItemKind kind, List<MemoryItem> items) implements Change {
        /**
         * Copies the list and checks every item's kind.
         *
         * @throws IllegalArgumentException if an item is of another kind
         */
        public ReplaceAll {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            items = List.copyOf(items);
            for (MemoryItem item : items) {
                if (item.kind() != kind) {
                    throw new IllegalArgumentException("ReplaceAll of " + kind + " got a " + item.kind()
                            + " (id '" + item.id() + "')");
                }
            }
        }
    }
}
