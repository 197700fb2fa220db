package dev.aml.store.jdbc;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link JdbcMemoryStore#exportTo} wrote or {@link JdbcMemoryStore#importFrom} read.
 *
 * @param tree the Loom tree
 * @param agents the agents transferred, sorted
 * @param counts items transferred per kind (every kind present, zero when none)
 */
public record LoomTransferReport(Path tree, Set<AgentId> agents, Map<ItemKind, Long> counts) {

    /** Copies the collections; rejects nulls and negative counts. */
    public LoomTransferReport {
        Objects.requireNonNull(tree, "tree");
        SortedSet<AgentId> sorted = new TreeSet<>(agents);
        agents = Collections.unmodifiableSortedSet(sorted);
        EnumMap<ItemKind, Long> all = new EnumMap<>(ItemKind.class);
        for (ItemKind kind : ItemKind.values()) {
            long n = counts.getOrDefault(kind, 0L);
            if (n < 0) {
                throw new IllegalArgumentException("count of " + kind + " must be >= 0, got " + n);
            }
            all.put(kind, n);
        }
        counts = Collections.unmodifiableMap(all);
    }

    /** @return the number of items of every kind together */
    public long items() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
