package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.StoreFiles;
import dev.aml.core.contract.TestItems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-write store on a cleanly closed tree reads its item files on first use: opening is cheap
 * for commands that only copy files, and nothing about what the store shows or writes changes.
 */
class FileMemoryStoreDeferredLoadTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("memory");
    }

    private void writeCleanTree() {
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                    Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                    Change.upsert(TESTER, TestItems.solution("s1", "tester", true))));
        }
    }

    private static boolean loaded(FileMemoryStore store) {
        return store.files().map(StoreFiles::itemsLoaded).orElseThrow();
    }

    @Test
    void aCleanlyClosedTreeIsReadOnFirstUseAndShowsTheSameItems() {
        writeCleanTree();
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(loaded(store)).as("nothing read at open").isFalse();
            assertThat(store.agents()).as("agents come from the folders").containsExactly(CODER, TESTER);
            assertThat(loaded(store)).isFalse();
            String consistent = store.quiesced(() -> "backup sees the files");
            assertThat(consistent).isNotNull();
            assertThat(loaded(store)).as("a quiesced run with nothing to checkpoint reads nothing").isFalse();

            assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p1", "p2");
            assertThat(loaded(store)).isTrue();
            assertThat(store.agents()).containsExactly(CODER, TESTER);
            assertThat(store.items(TESTER, ItemKind.SOLUTION)).hasSize(1);
        }
    }

    @Test
    void aWriteToAnUnloadedTreeLoadsItFirstAndKeepsEveryOtherItem() {
        writeCleanTree();
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1")));
            assertThat(loaded(store)).isTrue();
        }
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(ids(store.items(CODER, ItemKind.PATTERN))).containsExactly("p2");
            assertThat(store.items(TESTER, ItemKind.SOLUTION)).hasSize(1);
        }
    }

    @Test
    void closingAnUnloadedStoreWritesNoItemFile() throws IOException {
        writeCleanTree();
        Path patterns = root().resolve("coder/patterns.json");
        byte[] before = Files.readAllBytes(patterns);
        long modified = Files.getLastModifiedTime(patterns).toMillis();
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.checkpoint();
        }
        assertThat(Files.readAllBytes(patterns)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(patterns).toMillis()).isEqualTo(modified);
    }

    @Test
    void aJournalWithChangesToReplayLoadsAtOpen() throws IOException {
        Path copy = dir.resolve("after-crash");
        try (FileMemoryStore store = FileMemoryStore.builder(root()).durability(Durability.NONE).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
            store.checkpoint();
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
            store.flush();
            FileMemoryStoreTest.copyTree(root(), copy); // a crash now: the journal holds p2
        }
        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(loaded(recovered)).as("replayed at open").isTrue();
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).containsExactly("p1", "p2");
        }
    }

    @Test
    void anUnreadableFileFoundByTheLaterLoadIsStillNeverReadOrWritten() throws IOException {
        writeCleanTree();
        Path bad = root().resolve("tester/solutions.json");
        byte[] damaged = "[{\"id\": \"s1\"}, {\"id\": ".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, damaged);
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(loaded(store)).isFalse();
            assertThat(store.unreadableAgents()).containsOnlyKeys(TESTER);
            assertThatThrownBy(() -> store.items(TESTER, ItemKind.SOLUTION)).isInstanceOf(CorruptDataException.class);
            assertThatThrownBy(() -> store.apply(List.of(Change.upsert(TESTER, TestItems.pattern("p", "tester")))))
                    .isInstanceOf(CorruptDataException.class);
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p3", "coder"))));
        }
        assertThat(Files.readAllBytes(bad)).isEqualTo(damaged);
    }

    @Test
    void concurrentFirstReadersAllSeeTheWholeTree() throws Exception {
        writeCleanTree();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            List<Callable<List<String>>> readers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                readers.add(() -> ids(store.items(CODER, ItemKind.PATTERN)));
            }
            for (Future<List<String>> f : pool.invokeAll(readers)) {
                assertThat(f.get()).containsExactly("p1", "p2");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptedFirstReaderStillLoadsAndKeepsItsInterrupt() {
        writeCleanTree();
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            Thread.currentThread().interrupt();
            List<MemoryItem> items = store.items(CODER, ItemKind.PATTERN);
            assertThat(Thread.interrupted()).as("the flag is set again").isTrue();
            assertThat(ids(items)).containsExactly("p1", "p2");
            assertThat(store.unreadableAgents()).as("an interrupt is no damage").isEmpty();
        }
    }

    @Test
    void aClosedStoreNeverReadsTheTreeAnyMore() throws IOException {
        writeCleanTree();
        Path bad = root().resolve("tester/solutions.json");
        Files.write(bad, "[{\"id\": ".getBytes(StandardCharsets.UTF_8));
        FileMemoryStore store = FileMemoryStore.open(root());
        store.close();
        // its lock is gone: another writer may own the tree now, so not even a first load may run
        assertThatThrownBy(store::unreadableAgents).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(loaded(store)).isFalse();
    }

    private static List<String> ids(List<? extends MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }
}
