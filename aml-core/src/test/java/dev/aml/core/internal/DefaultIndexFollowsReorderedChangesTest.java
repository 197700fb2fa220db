package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stores may deliver the change notifications of concurrent writers out of order. The index must
 * still end in the store's current state: it re-reads what changed instead of trusting the payload.
 */
class DefaultIndexFollowsReorderedChangesTest {

    private static final AgentId CODER = AgentId.of("coder");

    @Test
    void laterNotificationsDeliveredFirstDoNotLeaveTheIndexStale() {
        InMemoryMemoryStore store = new InMemoryMemoryStore();
        Pattern p = TestItems.pattern("p1", "coder");
        store.apply(List.of(Change.upsert(CODER, p)));
        DefaultIndex index = new DefaultIndex(store);
        List<List<Change>> held = new ArrayList<>();
        store.addChangeListener(held::add); // hold notifications back, deliver them later, reversed
        index.rebuild();

        Pattern v1 = p.withOutcome(Outcome.success(), TestItems.NOW, 0.1);
        store.apply(List.of(Change.upsert(CODER, v1)));
        Pattern v2 = v1.withOutcome(Outcome.failure(), TestItems.NOW, 0.1);
        store.apply(List.of(Change.upsert(CODER, v2)));
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
        store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p2")));
        Collections.reverse(held);
        held.forEach(index::changed); // v1's upsert arrives last, with stale payload

        MemoryQuery q = MemoryQuery.patterns().build();
        List<MemoryItem> result = index.query(q, TestItems.NOW);
        assertThat(result).containsExactly(v2);
        assertThat(result).containsExactlyElementsOf(new ScanIndex(store).query(q, TestItems.NOW));
    }
}
