package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MemoryItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory state of a store: per agent, per kind, an ordered list of items plus an index from
 * id to the position of its first occurrence. Not thread-safe: the owning store guards it.
 *
 * <p>Order is the file order and survives every operation except where a {@link Change.ReplaceAll}
 * says otherwise. Duplicate ids (found in files other tools wrote) are kept; lookups see the first.
 */
public final class ItemTable {

    private final Map<AgentId, EnumMap<ItemKind, KindList>> agents = new TreeMap<>();

    /** @return the agents present, sorted */
    public Set<AgentId> agents() {
        return Collections.unmodifiableSet(agents.keySet());
    }

    /**
     * Registers an agent with no items (so that it is listed).
     *
     * @param agent the agent
     */
    public void addAgent(AgentId agent) {
        agents.computeIfAbsent(agent, a -> new EnumMap<>(ItemKind.class));
    }

    /**
     * @param agent the agent
     * @param kind the kind
     * @return an immutable copy of the items in order
     */
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        KindList list = list(agent, kind, false);
        return list == null ? List.of() : List.copyOf(list.items);
    }

    /**
     * @param agent the agent
     * @param kind the kind
     * @return the number of items
     */
    public int size(AgentId agent, ItemKind kind) {
        KindList list = list(agent, kind, false);
        return list == null ? 0 : list.items.size();
    }

    /**
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return the first item with that id
     */
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        KindList list = list(agent, kind, false);
        if (list == null) {
            return Optional.empty();
        }
        Integer at = list.firstIndex.get(id);
        return at == null ? Optional.empty() : Optional.of(list.items.get(at));
    }

    /**
     * Sets a whole list, e.g. when loading a file.
     *
     * @param agent the agent
     * @param kind the kind
     * @param items the items in order
     */
    public void load(AgentId agent, ItemKind kind, List<? extends MemoryItem> items) {
        list(agent, kind, true).replaceAll(items);
    }

    /**
     * Indexes a list without a table, so a store can index the files of many agents in parallel
     * while opening and then {@link #load(AgentId, ItemKind, Indexed) load} them.
     *
     * @param items the items in order
     * @return the list with its id index, to be loaded into one table once
     */
    public static Indexed index(List<? extends MemoryItem> items) {
        KindList list = new KindList(items.size());
        list.items.addAll(items);
        list.reindex();
        return new Indexed(list);
    }

    /**
     * Sets a whole list indexed by {@link #index}; same effect as {@link #load(AgentId, ItemKind, List)}.
     *
     * @param agent the agent
     * @param kind the kind
     * @param indexed the list; it now belongs to this table
     * @throws IllegalStateException if it was loaded before
     */
    public void load(AgentId agent, ItemKind kind, Indexed indexed) {
        KindList list = indexed.take();
        agents.computeIfAbsent(agent, a -> new EnumMap<>(ItemKind.class)).put(kind, list);
    }

    /** A list indexed off the table by {@link #index}, loaded into one table once. */
    public static final class Indexed {
        private @Nullable KindList list;

        private Indexed(KindList list) {
            this.list = list;
        }

        /** @return the number of items */
        public int size() {
            KindList l = list;
            if (l == null) {
                throw new IllegalStateException("This indexed list was loaded into a table already");
            }
            return l.items.size();
        }

        private KindList take() {
            KindList l = list;
            if (l == null) {
                throw new IllegalStateException("This indexed list was loaded into a table already");
            }
            list = null;
            return l;
        }
    }

    /**
     * Applies one change. The caller checks kinds and readability beforehand.
     *
     * @param change the change
     */
    public void apply(Change change) {
        KindList list = list(change.agent(), change.kind(), true);
        if (change instanceof Change.Upsert u) {
            list.upsert(u.item());
        } else if (change instanceof Change.Delete d) {
            list.delete(d.id());
        } else if (change instanceof Change.ReplaceAll r) {
            list.replaceAll(r.items());
        }
    }

    /**
     * Computes the replacement of one item without storing it.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @param fn the update function
     * @return the new item, checked to keep id and kind
     * @throws ItemNotFoundException if there is no such item
     */
    public MemoryItem computeUpdate(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        MemoryItem current = find(agent, kind, id).orElseThrow(() -> new ItemNotFoundException(
                "No " + kind.label() + " with id '" + id + "' for agent '" + agent + "'"));
        MemoryItem next = fn.apply(current);
        if (next == null || next.kind() != kind || !next.id().equals(id)) {
            throw new IllegalArgumentException("An update of " + kind.label() + " '" + id
                    + "' must return an item of the same kind and id, got "
                    + (next == null ? "null" : next.kind().label() + " '" + next.id() + "'"));
        }
        return next;
    }

    private @Nullable KindList list(AgentId agent, ItemKind kind, boolean create) {
        EnumMap<ItemKind, KindList> kinds = create
                ? agents.computeIfAbsent(agent, a -> new EnumMap<>(ItemKind.class))
                : agents.get(agent);
        if (kinds == null) {
            return null;
        }
        return create ? kinds.computeIfAbsent(kind, k -> new KindList()) : kinds.get(kind);
    }

    private static final class KindList {
        final ArrayList<MemoryItem> items;
        final HashMap<String, Integer> firstIndex;

        KindList() {
            items = new ArrayList<>();
            firstIndex = new HashMap<>();
        }

        KindList(int capacity) {
            items = new ArrayList<>(capacity);
            firstIndex = new HashMap<>(capacity + capacity / 3 + 1); // no rehash while indexing
        }

        void upsert(MemoryItem item) {
            Integer at = firstIndex.get(item.id());
            if (at != null) {
                items.set(at, item);
            } else {
                firstIndex.put(item.id(), items.size());
                items.add(item);
            }
        }

        void delete(String id) {
            if (firstIndex.containsKey(id)) {
                items.removeIf(i -> i.id().equals(id));
                reindex();
            }
        }

        void replaceAll(List<? extends MemoryItem> newItems) {
            items.clear();
            items.addAll(newItems);
            items.trimToSize();
            reindex();
        }

        private void reindex() {
            firstIndex.clear();
            for (int i = 0; i < items.size(); i++) {
                firstIndex.putIfAbsent(items.get(i).id(), i);
            }
        }
    }
}
