package dev.aml.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.TestItems;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delivery rules of {@link RemoteChanges}, without a server: payloads, and never going back in time. */
class RemoteChangesDeliveryTest {

    private static final AgentId CODER = AgentId.of("coder");

    /** A reader that answers {@code find} from a script of (version, item) reads. */
    private static final class ScriptedReader implements RemoteChanges.Reader {
        final Deque<RemoteChanges.Versioned<Optional<MemoryItem>>> finds = new ArrayDeque<>();
        int reads;

        @Override
        public Set<AgentId> agents() {
            return Set.of(CODER);
        }

        @Override
        public RemoteChanges.Versioned<List<MemoryItem>> items(AgentId agent, ItemKind kind) {
            reads++;
            return new RemoteChanges.Versioned<>(9, List.of());
        }

        @Override
        public RemoteChanges.Versioned<Optional<MemoryItem>> find(AgentId agent, ItemKind kind, String id) {
            reads++;
            return finds.size() > 1 ? finds.poll() : finds.peek();
        }
    }

    private final ScriptedReader reader = new ScriptedReader();
    private final List<Change> delivered = new ArrayList<>();
    private final RemoteChanges remote = new RemoteChanges(null, "aml", reader, delivered::addAll, "test store");

    @Test
    void aRemoteReadOlderThanADeliveredLocalWriteIsReadAgainNotDelivered() {
        MemoryItem old = TestItems.pattern("p1", "coder");
        MemoryItem newer = old.withActive(false);
        remote.deliverLocal(List.of(Change.upsert(CODER, newer)), Map.of(CODER, 5L));
        reader.finds.add(new RemoteChanges.Versioned<>(4, Optional.of(old)));   // read before the local commit
        reader.finds.add(new RemoteChanges.Versioned<>(5, Optional.of(newer))); // the fresh read

        remote.deliver(Set.of(List.of("pattern", "coder", "p1")));

        assertThat(reader.reads).isEqualTo(2);
        assertThat(delivered).containsExactly(Change.upsert(CODER, newer), Change.upsert(CODER, newer));
    }

    @Test
    void aLocalWriteOvertakenByANewerOneIsFollowedByTheCurrentState() {
        MemoryItem v5 = TestItems.pattern("p1", "coder");
        MemoryItem v6 = v5.withActive(false);
        reader.finds.add(new RemoteChanges.Versioned<>(6, Optional.of(v6)));

        remote.deliverLocal(List.of(Change.upsert(CODER, v6)), Map.of(CODER, 6L));
        remote.deliverLocal(List.of(Change.upsert(CODER, v5)), Map.of(CODER, 5L)); // committed first, delivered last

        assertThat(delivered).containsExactly(Change.upsert(CODER, v6), Change.upsert(CODER, v5),
                Change.upsert(CODER, v6));
    }

    @Test
    void localWritesInCommitOrderNeedNoRead() {
        MemoryItem v1 = TestItems.pattern("p1", "coder");
        remote.deliverLocal(List.of(Change.upsert(CODER, v1)), Map.of(CODER, 1L));
        remote.deliverLocal(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1")), Map.of(CODER, 2L));

        assertThat(reader.reads).isZero();
        assertThat(delivered).containsExactly(Change.upsert(CODER, v1), Change.delete(CODER, ItemKind.PATTERN, "p1"));
    }

    @Test
    void aMissingItemIsDeliveredAsADeleteAndAListAsAReplacement() {
        reader.finds.add(new RemoteChanges.Versioned<>(3, Optional.empty()));

        remote.deliver(Set.of(List.of("pattern", "coder", "gone")));
        remote.deliver(Set.of(List.of("decision", "coder")));

        assertThat(delivered).containsExactly(Change.delete(CODER, ItemKind.PATTERN, "gone"),
                Change.replaceAll(CODER, ItemKind.DECISION, List.of()));
    }

    @Test
    void aHugeBatchIsAnnouncedAsListsAndBeyondThatAsEverything() {
        List<Change> many = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            many.add(Change.upsert(CODER, TestItems.pattern("id-" + i, "coder")));
        }
        assertThat(RemoteChanges.parse(RemoteChanges.payload(many))).containsExactly(List.of("pattern", "coder"));
        assertThat(RemoteChanges.parse(RemoteChanges.payload(List.of(Change.delete(CODER, ItemKind.SOLUTION, "s")))))
                .containsExactly(List.of("solution", "coder", "s"));
        assertThat(RemoteChanges.parse("not json")).containsExactly(List.of("*"));

        List<Change> agents = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            agents.add(Change.delete(AgentId.of("agent-with-a-long-name-" + i), ItemKind.PATTERN, "x"));
        }
        assertThat(RemoteChanges.parse(RemoteChanges.payload(agents))).containsExactly(List.of("*"));
    }
}
