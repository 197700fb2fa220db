package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interrupting a thread inside {@code FileChannel} I/O closes the channel for everyone; the store must
 * neither break nor lose anything when callers are interrupted, and must leave their interrupt flag
 * set.
 */
class FileMemoryStoreInterruptTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path dir;

    @AfterEach
    void clearFlag() {
        Thread.interrupted(); // never leak an interrupt into the next test
    }

    private static Pattern pattern(String id) {
        return TestItems.pattern(id, CODER.name());
    }

    private static MemoryItem withOutcome(MemoryItem item) {
        return ((Pattern) item).withOutcome(Outcome.success(), TestItems.NOW, 0.1);
    }

    private static void assertStillInterrupted(String after) {
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag after " + after).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void everyOperationOfAnInterruptedCallerCompletesAndTheFlagStaysSet(Durability durability) throws IOException {
        Path root = dir.resolve("memory");
        Path crashCopy = dir.resolve("crash-copy");
        Map<String, MemoryItem> expected = new ConcurrentHashMap<>();
        Thread.currentThread().interrupt();
        FileMemoryStore store = FileMemoryStore.builder(root).durability(durability).open();
        assertStillInterrupted("open");
        try {
            store.apply(List.of(Change.upsert(CODER, pattern("p1"))));
            assertStillInterrupted("apply");
            expected.put("p1", store.update(CODER, ItemKind.PATTERN, "p1", FileMemoryStoreInterruptTest::withOutcome));
            assertStillInterrupted("update");
            store.apply(List.of(Change.upsert(CODER, pattern("gone"))));
            assertThat(store.delete(CODER, ItemKind.PATTERN, "gone")).isTrue();
            assertStillInterrupted("delete");
            store.flush();
            assertStillInterrupted("flush");
            store.checkpoint();
            assertStillInterrupted("checkpoint");
            store.apply(List.of(Change.upsert(CODER, pattern("p2"))));
            expected.put("p2", pattern("p2"));
            assertStillInterrupted("apply after checkpoint");
            if (durability == Durability.SYNC) {
                // a SYNC write is durable when apply returns, interrupted or not: a crash now keeps it
                Thread.interrupted(); // copying uses interruptible channels of its own
                FileMemoryStoreTest.copyTree(root, crashCopy);
                Thread.currentThread().interrupt();
            }
            assertThat(store.quiesced(() -> store.items(CODER, ItemKind.PATTERN))).hasSize(2);
            assertStillInterrupted("quiesced");
        } finally {
            store.close();
        }
        assertStillInterrupted("close");
        try (FileMemoryStore reader = FileMemoryStore.builder(root).readOnly(true).open()) {
            // reading the files on an interrupted thread would fail and make the agent look damaged
            assertStillInterrupted("read-only open");
            assertThat(reader.unreadableAgents()).isEmpty();
            assertThat(reader.items(CODER, ItemKind.PATTERN)).hasSize(2);
        }
        assertThat(Thread.interrupted()).isTrue();

        try (FileMemoryStore reopened = FileMemoryStore.open(root)) {
            assertThat(reopened.items(CODER, ItemKind.PATTERN)).containsExactlyElementsOf(expected.values().stream()
                    .sorted(java.util.Comparator.comparing(MemoryItem::id)).toList());
        }
        if (durability == Durability.SYNC) {
            try (FileMemoryStore recovered = FileMemoryStore.open(crashCopy)) {
                assertThat(recovered.items(CODER, ItemKind.PATTERN)).containsExactly(expected.get("p1"),
                        expected.get("p2"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void writersInterruptedAtRandomLoseNothingAndTheStoreKeepsWorking(Durability durability) throws Exception {
        Path root = dir.resolve("memory");
        int writers = 3;
        int opsPerWriter = 120;
        Map<String, MemoryItem> acknowledged = new ConcurrentHashMap<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger flagsSeen = new AtomicInteger();
        AtomicInteger interruptsSent = new AtomicInteger();
        // a small journal threshold makes size-triggered background checkpoints run among the writers
        FileMemoryStore store = FileMemoryStore.builder(root).durability(durability).checkpointBytes(4096).open();
        try {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String counter = "w" + w + "-counter";
                store.apply(List.of(Change.upsert(CODER, pattern(counter))));
                acknowledged.put(counter, pattern(counter));
                int writer = w;
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < opsPerWriter; i++) {
                            switch (i % 3) {
                                case 0 -> {
                                    String id = "w" + writer + "-" + i;
                                    store.apply(List.of(Change.upsert(CODER, pattern(id))));
                                    acknowledged.put(id, pattern(id));
                                }
                                case 1 -> acknowledged.put(counter, store.update(CODER, ItemKind.PATTERN, counter,
                                        FileMemoryStoreInterruptTest::withOutcome));
                                default -> {
                                    if (i % 15 == 2) {
                                        store.checkpoint();
                                    } else {
                                        store.flush();
                                    }
                                }
                            }
                            if (Thread.interrupted()) {
                                flagsSeen.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "interrupted-writer-" + w));
            }
            threads.forEach(Thread::start);
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Thread victim = threads.get(ThreadLocalRandom.current().nextInt(writers));
                victim.interrupt();
                interruptsSent.incrementAndGet();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 300_000)); // pacing only
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }

            assertThat(failures).as("operations failed under interrupts").isEmpty();
            assertThat(interruptsSent.get()).isPositive();
            assertThat(flagsSeen.get()).as("interrupts the writers saw as their flag after store calls").isPositive();
            // the store still works for everyone
            store.apply(List.of(Change.upsert(CODER, pattern("after"))));
            acknowledged.put("after", pattern("after"));
            store.checkpoint();
            assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(acknowledged.size());
        } finally {
            store.close();
        }
        try (FileMemoryStore reopened = FileMemoryStore.open(root)) {
            List<MemoryItem> items = reopened.items(CODER, ItemKind.PATTERN);
            assertThat(items).hasSize(acknowledged.size());
            for (MemoryItem item : items) {
                assertThat(item).as(item.id()).isEqualTo(acknowledged.get(item.id()));
            }
            assertThat(reopened.items(CODER, ItemKind.PATTERN).stream().filter(i -> i.id().endsWith("counter"))
                    .map(i -> ((Pattern) i).metrics().executionCount()))
                    .as("every acknowledged outcome counted").containsOnly(5L + opsPerWriter / 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void aCallerInterruptedWhileClosingStillLeavesTheWholeTruthInTheFiles(Durability durability) throws IOException {
        Path root = dir.resolve("memory");
        AtomicBoolean done = new AtomicBoolean();
        FileMemoryStore store = FileMemoryStore.builder(root).durability(durability).open();
        for (int i = 0; i < 50; i++) {
            store.apply(List.of(Change.upsert(CODER, pattern("p" + i))));
        }
        Thread closer = new Thread(() -> {
            Thread.currentThread().interrupt();
            store.close();
            done.set(Thread.currentThread().isInterrupted());
        });
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(done).as("close completed and kept the flag").isTrue();
        assertThat(LoomJson.defaults().read(root.resolve("coder/patterns.json"), ItemKind.PATTERN)).hasSize(50);
    }
}
