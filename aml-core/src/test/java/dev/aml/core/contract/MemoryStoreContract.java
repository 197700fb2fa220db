package dev.aml.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MemoryStore} must have. Extend it, implement {@link #newStore()} (a new,
 * empty store) and, for durable stores, {@link #reopen(MemoryStore)}.
 */
public abstract class MemoryStoreContract {

    protected static final AgentId CODER = AgentId.of("coder");
    protected static final AgentId TESTER = AgentId.of("tester");

    protected MemoryStore store;

    /** @return a new, empty store */
    protected abstract MemoryStore newStore();

    /**
     * Closes {@code store} and opens it again on the same data. Stores that keep nothing return a
     * new store with the same content; the default suits in-memory stores and returns {@code store}.
     *
     * @param store the open store
     * @return the reopened store
     */
    protected MemoryStore reopen(MemoryStore store) {
        return store;
    }

    /** @return whether {@link #reopen} really closes and reopens (durable stores) */
    protected boolean durable() {
        return false;
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aNewStoreIsEmpty() {
        assertThat(store.agents()).isEmpty();
        assertThat(store.items(CODER, ItemKind.PATTERN)).isEmpty();
        assertThat(store.find(CODER, ItemKind.PATTERN, "p1")).isEmpty();
        assertThat(store.unreadableAgents()).isEmpty();
    }

    @Test
    void upsertAppendsInOrderAndReplacesInPlace() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                Change.upsert(CODER, TestItems.pattern("p3", "coder"))));
        Pattern changed = TestItems.pattern("p2", "coder").withTags(List.of("changed"));
        store.apply(List.of(Change.upsert(CODER, changed)));

        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p1", "p2", "p3");
        assertThat(store.find(CODER, ItemKind.PATTERN, "p2")).contains(changed);
        assertThat(store.agents()).containsExactly(CODER);
    }

    @Test
    void kindsAndAgentsAreSeparate() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("x", "coder")),
                Change.upsert(CODER, TestItems.solution("x", "coder", true)),
                Change.upsert(TESTER, TestItems.decision("x", "tester", true))));

        assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(1);
        assertThat(store.items(CODER, ItemKind.SOLUTION)).hasSize(1);
        assertThat(store.items(CODER, ItemKind.DECISION)).isEmpty();
        assertThat(store.items(TESTER, ItemKind.DECISION)).hasSize(1);
        assertThat(store.agents()).containsExactly(CODER, TESTER);
    }

    @Test
    void deleteAndReplaceAll() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
        store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1")));
        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p2");

        store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN,
                List.of(TestItems.pattern("b", "coder"), TestItems.pattern("a", "coder")))));
        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("b", "a");
    }

    @Test
    void deleteSaysWhetherThisCallRemovedTheItem() {
        Pattern p1 = TestItems.pattern("p1", "coder");
        store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN,
                List.of(p1, TestItems.pattern("p2", "coder"), p1)))); // a duplicate another tool wrote
        List<Change> seen = new ArrayList<>();
        store.addChangeListener(seen::addAll);
        long before = store.version(CODER);

        assertThat(store.delete(CODER, ItemKind.PATTERN, "p1")).isTrue();
        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).as("every copy goes").containsExactly("p2");
        assertThat(seen).containsExactly(Change.delete(CODER, ItemKind.PATTERN, "p1"));
        long after = store.version(CODER);
        assertThat(after).isGreaterThan(before);

        assertThat(store.delete(CODER, ItemKind.PATTERN, "p1")).as("already gone").isFalse();
        assertThat(store.delete(CODER, ItemKind.SOLUTION, "p2")).as("other kind").isFalse();
        assertThat(store.delete(TESTER, ItemKind.PATTERN, "p2")).as("other agent").isFalse();
        assertThat(seen).as("deleting nothing is no change").hasSize(1);
        assertThat(store.version(CODER)).isEqualTo(after);
        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p2");
    }

    @Test
    void ofConcurrentDeletersOfOneItemExactlyOneGetsTrue() throws Exception {
        int threads = 8;
        int rounds = 40;
        List<Change> items = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            items.add(Change.upsert(CODER, TestItems.pattern("p" + r, "coder")));
        }
        store.apply(items);
        for (int r = 0; r < rounds; r++) {
            String id = "p" + r;
            List<Boolean> removed = Together.run(threads, () -> store.delete(CODER, ItemKind.PATTERN, id));
            assertThat(removed).as("deleters of %s that got true", id).containsOnlyOnce(true);
        }
        assertThat(store.items(CODER, ItemKind.PATTERN)).isEmpty();
    }

    @Test
    void readsAreImmutableSnapshots() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        List<MemoryItem> before = store.items(CODER, ItemKind.PATTERN);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));

        assertThat(before).hasSize(1);
        assertThatThrownBy(() -> before.add(TestItems.pattern("p3", "coder")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void updateIsReadModifyWrite() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        MemoryItem updated = store.update(CODER, ItemKind.PATTERN, "p1",
                item -> ((Pattern) item).withOutcome(Outcome.success(), TestItems.NOW, 0.1));

        assertThat(updated.executionCount()).isEqualTo(6);
        assertThat(store.find(CODER, ItemKind.PATTERN, "p1")).contains(updated);
    }

    @Test
    void updateOfAMissingItemFailsClearly() {
        assertThatThrownBy(() -> store.update(CODER, ItemKind.PATTERN, "nope", i -> i))
                .isInstanceOf(ItemNotFoundException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("coder");
    }

    @Test
    void updateMayNotChangeTheId() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        assertThatThrownBy(() -> store.update(CODER, ItemKind.PATTERN, "p1", i -> TestItems.pattern("p2", "coder")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p1");
    }

    @Test
    void aFailingUpdateChangesNothing() {
        Pattern p1 = TestItems.pattern("p1", "coder");
        store.apply(List.of(Change.upsert(CODER, p1)));
        assertThatThrownBy(() -> store.update(CODER, ItemKind.PATTERN, "p1", i -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.find(CODER, ItemKind.PATTERN, "p1")).contains(p1);
    }

    @Test
    void versionGrowsWithEveryChangeOfThatAgent() {
        long coder0 = store.version(CODER);
        long tester0 = store.version(TESTER);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        long coder1 = store.version(CODER);
        store.update(CODER, ItemKind.PATTERN, "p1", i -> i.withActive(false));

        assertThat(coder1).isGreaterThan(coder0);
        assertThat(store.version(CODER)).isGreaterThan(coder1);
        assertThat(store.version(TESTER)).isEqualTo(tester0);
    }

    @Test
    void listenersSeeAppliedChanges() {
        List<Change> seen = new ArrayList<>();
        store.addChangeListener(seen::addAll);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        store.update(CODER, ItemKind.PATTERN, "p1", i -> i.withActive(false));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).isInstanceOf(Change.Upsert.class);
        assertThat(((Change.Upsert) seen.get(1)).item().active()).isFalse();
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        long before = store.find(CODER, ItemKind.PATTERN, "p1").orElseThrow().executionCount();
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.update(CODER, ItemKind.PATTERN, "p1",
                                item -> ((Pattern) item).withOutcome(Outcome.success(), TestItems.NOW, 0.1));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find(CODER, ItemKind.PATTERN, "p1").orElseThrow().executionCount())
                .isEqualTo(before + (long) threads * perThread);
    }

    @Test
    void maintenanceOperationsExcludeEachOther() {
        try (MaintenanceLock prune = store.lockMaintenance("prune")) {
            assertThat(prune.operation()).isEqualTo("prune");
            assertThatThrownBy(() -> store.lockMaintenance("backup"))
                    .isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("prune");
        }
        try (MaintenanceLock backup = store.lockMaintenance("backup")) {
            assertThat(backup.operation()).isEqualTo("backup");
        }
    }

    @Test
    void quiescedRunsTheActionAndReturnsItsResult() {
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        AtomicInteger seen = new AtomicInteger();
        int result = store.quiesced(() -> {
            seen.set(store.items(CODER, ItemKind.PATTERN).size());
            return 42;
        });
        assertThat(result).isEqualTo(42);
        assertThat(seen).hasValue(1);
    }

    @Test
    void everythingSurvivesAReopen() {
        Pattern p1 = TestItems.pattern("p1", "coder");
        store.apply(List.of(Change.upsert(CODER, p1), Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                Change.upsert(TESTER, TestItems.solution("s1", "tester", false))));
        store.update(CODER, ItemKind.PATTERN, "p2", i -> i.withActive(false));
        store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1")));
        store.flush();

        store = reopen(store);

        assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p2");
        assertThat(store.find(CODER, ItemKind.PATTERN, "p2").orElseThrow().active()).isFalse();
        assertThat(store.items(TESTER, ItemKind.SOLUTION)).containsExactly(TestItems.solution("s1", "tester", false));
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")))))
                .isInstanceOf(IllegalStateException.class);
        store.close(); // idempotent
    }

    protected static List<String> ids(List<? extends MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }
}
