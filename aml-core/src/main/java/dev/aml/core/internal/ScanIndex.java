package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.QueryIndex;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The baseline index: keeps nothing, and answers every query by reading each candidate agent's
 * items from the store, filtering with {@link MemoryQuery#matches} and keeping the best with a
 * bounded heap. Obviously correct, linear in the number of items.
 */
public final class ScanIndex implements QueryIndex {

    /** The strategy behind {@link IndexStrategy#scan()}. */
    public static final IndexStrategy STRATEGY = new IndexStrategy() {
        @Override
        public String name() {
            return "scan";
        }

        @Override
        public QueryIndex create(MemoryStore store) {
            return new ScanIndex(store);
        }

        @Override
        public String toString() {
            return "IndexStrategy.scan()";
        }
    };

    private final MemoryStore store;

    /** @param store the store to read on every query */
    public ScanIndex(MemoryStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public List<MemoryItem> query(MemoryQuery query, Instant now) {
        Collection<AgentId> agents = query.agents();
        Set<AgentId> unreadable = Set.of();
        if (agents.isEmpty()) {
            agents = store.agents();
            unreadable = store.unreadableAgents().keySet();
        }
        Ranking.TopK top = new Ranking.TopK(Ranking.wanted(query), query.order());
        Set<String> seen;
        for (AgentId agent : agents) {
            if (unreadable.contains(agent)) {
                continue; // the global view leaves unreadable agents out; naming one throws below
            }
            for (ItemKind kind : query.kinds()) {
                List<MemoryItem> items = store.items(agent, kind);
                seen = new HashSet<>(Math.max(16, items.size() * 2));
                for (MemoryItem item : items) {
                    if (seen.add(item.id()) && query.matches(agent, item)) {
                        top.offer(Ranking.key(query.rank(), item, now), agent, item);
                    }
                }
            }
        }
        return top.drain(query.offset(), query.limit());
    }

    @Override
    public void changed(List<Change> changes) {
        // nothing kept, nothing to update
    }

    @Override
    public void rebuild() {
        // nothing kept, nothing to rebuild
    }
}
