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
        final ArrayList<MemoryItem> items = new ArrayList<>();
        final HashMap<String, Integer> firstIndex = new HashMap<>();

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
