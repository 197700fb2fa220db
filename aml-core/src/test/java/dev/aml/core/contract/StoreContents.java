package dev.aml.core.contract;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a store holds, in a form tests compare: stores, backups and restored trees alike. */
public final class StoreContents {

    private StoreContents() {
    }

    /**
     * @param store a store
     * @return every agent's non-empty item lists, keyed {@code "agent/patterns.json"} (the file a Loom
     *     tree keeps them in), in key order; agents without items are left out
     */
    public static Map<String, List<MemoryItem>> of(MemoryStore store) {
        Map<String, List<MemoryItem>> out = new TreeMap<>();
        for (AgentId agent : store.agents()) {
            for (ItemKind kind : ItemKind.values()) {
                List<MemoryItem> items = store.items(agent, kind);
                if (!items.isEmpty()) {
                    out.put(agent.name() + "/" + kind.fileName(), items);
                }
            }
        }
        return out;
    }
}
