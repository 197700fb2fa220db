package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomJson;
import dev.aml.store.FaultyFileOps.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection into the steps of a checkpoint (temp write, rename, directory fsync) and of the
 * journal trim: whichever step fails, the store's memory must still match the disk, the next
 * checkpoint must succeed, and reopening (or recovering a copy taken right after the failure, as a
 * crash would leave it) must see every change.
 */
class CheckpointFaultTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path dir;

    private final FaultyFileOps ops = new FaultyFileOps();

    private Path root() {
        return dir.resolve("memory");
    }

    private Path coder() {
        return root().resolve("coder");
    }

    private FileMemoryStore open(Durability durability) {
        return FileMemoryStore.builder(root()).durability(durability).fileOps(ops).open();
    }

    private static Change pattern(String id) {
        return Change.upsert(CODER, TestItems.pattern(id, CODER.name()));
    }

    private static Change decision(String id) {
        return Change.upsert(CODER, TestItems.decision(id, CODER.name(), true));
    }

    private static List<String> ids(Path file, ItemKind kind) {
        return LoomJson.defaults().read(file, kind).stream().map(MemoryItem::id).toList();
    }

    private static List<String> ids(FileMemoryStore store, ItemKind kind) {
        return store.items(CODER, kind).stream().map(MemoryItem::id).toList();
    }

    private static List<Path> temps(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".aml-tmp")).toList();
        }
    }

    private void assertReopensWith(Path memoryRoot, List<String> patterns, List<String> decisions) throws IOException {
        try (FileMemoryStore store = FileMemoryStore.open(memoryRoot)) {
            assertThat(ids(store, ItemKind.PATTERN)).containsExactlyElementsOf(patterns);
            assertThat(ids(store, ItemKind.DECISION)).containsExactlyElementsOf(decisions);
            assertThat(temps(memoryRoot.resolve("coder"))).isEmpty();
        }
    }

    /** Two item files on disk (p1, d1), both changed in memory and the journal since (p2, d2). */
    private static void checkpointP1D1ThenAddP2D2(FileMemoryStore store) {
        store.apply(List.of(pattern("p1"), decision("d1")));
        store.checkpoint();
        store.apply(List.of(pattern("p2"), decision("d2")));
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"DIR_FSYNC", "RENAME_THEN_FAIL"})
    void aCheckpointThatFailsAfterItsRenameIsNotMistakenForAnotherProgramsEdit(Step step) throws IOException {
        try (FileMemoryStore store = open(Durability.BATCH)) {
            store.apply(List.of(pattern("p1")));
            store.checkpoint();
            store.apply(List.of(pattern("p2")));
            ops.arm(step, step == Step.DIR_FSYNC ? FaultyFileOps.named("coder")
                    : FaultyFileOps.named("patterns.json"), 1);

            assertThatThrownBy(store::checkpoint).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("injected").hasMessageContaining("No change is lost");
            assertThat(ids(coder().resolve("patterns.json"), ItemKind.PATTERN)).as("the rename happened")
                    .containsExactly("p1", "p2");

            store.apply(List.of(pattern("p3")));
            store.checkpoint(); // no "Another program changed ..." refusal: the file is AML's own write
            assertThat(ids(coder().resolve("patterns.json"), ItemKind.PATTERN)).containsExactly("p1", "p2", "p3");
        }
        assertReopensWith(root(), List.of("p1", "p2", "p3"), List.of());
    }

    @Test
    void aRefusedRenameLeavesTheOldFileAndRollsForwardOrRetries() throws IOException {
        Path crash = dir.resolve("crash-copy");
        try (FileMemoryStore store = open(Durability.BATCH)) {
            checkpointP1D1ThenAddP2D2(store);
            byte[] decisionsBefore = Files.readAllBytes(coder().resolve("decisions.json"));
            ops.arm(Step.RENAME, FaultyFileOps.named("decisions.json"), 1);

            assertThatThrownBy(store::checkpoint).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("injected");
            assertThat(Files.readAllBytes(coder().resolve("decisions.json"))).as("old file intact")
                    .isEqualTo(decisionsBefore);
            assertThat(temps(coder())).as("the journal's checkpoint record names it: kept for recovery")
                    .singleElement().satisfies(t -> assertThat(t.getFileName().toString()).contains("decisions"));
            FileMemoryStoreTest.copyTree(root(), crash); // what a crash right now leaves on disk

            store.apply(List.of(pattern("p3")));
            store.checkpoint();
            assertThat(ids(coder().resolve("decisions.json"), ItemKind.DECISION)).containsExactly("d1", "d2");
            assertThat(temps(coder())).as("superseded by the successful checkpoint, so removed").isEmpty();
        }
        assertReopensWith(root(), List.of("p1", "p2", "p3"), List.of("d1", "d2"));

        // recovery's own rename fails: the open fails clearly and leaves the temp file for the next open
        byte[] crashDecisions = Files.readAllBytes(crash.resolve("coder/decisions.json"));
        FaultyFileOps recoveryOps = new FaultyFileOps();
        recoveryOps.arm(Step.RENAME, FaultyFileOps.named("decisions.json"), 1);
        assertThatThrownBy(() -> FileMemoryStore.builder(crash).fileOps(recoveryOps).open())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("injected")
                .hasMessageContaining(crash.toString());
        assertThat(temps(crash.resolve("coder"))).hasSize(1);
        assertThat(Files.readAllBytes(crash.resolve("coder/decisions.json"))).isEqualTo(crashDecisions);
        assertReopensWith(crash, List.of("p1", "p2"), List.of("d1", "d2")); // rolled forward
        assertThat(ids(crash.resolve("coder/decisions.json"), ItemKind.DECISION)).containsExactly("d1", "d2");
    }

    @Test
    void aFailedTempWriteChangesNoItemFileAndLeavesNoTempBehind() throws IOException {
        Path crash = dir.resolve("crash-copy");
        try (FileMemoryStore store = open(Durability.SYNC)) {
            checkpointP1D1ThenAddP2D2(store);
            byte[] patternsBefore = Files.readAllBytes(coder().resolve("patterns.json"));
            byte[] decisionsBefore = Files.readAllBytes(coder().resolve("decisions.json"));
            ops.arm(Step.WRITE, FaultyFileOps.named("decisions.json"), 1);

            assertThatThrownBy(store::checkpoint).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("no space left");
            assertThat(Files.readAllBytes(coder().resolve("patterns.json"))).isEqualTo(patternsBefore);
            assertThat(Files.readAllBytes(coder().resolve("decisions.json"))).isEqualTo(decisionsBefore);
            assertThat(temps(coder())).as("no record names them, so half-written temps are removed").isEmpty();
            FileMemoryStoreTest.copyTree(root(), crash);

            store.checkpoint();
            assertThat(ids(coder().resolve("decisions.json"), ItemKind.DECISION)).containsExactly("d1", "d2");
        }
        assertReopensWith(root(), List.of("p1", "p2"), List.of("d1", "d2"));
        assertReopensWith(crash, List.of("p1", "p2"), List.of("d1", "d2")); // from the journal
    }

    @Test
    void aFailedDirectoryFsyncAfterTheJournalTrimIsRetriedBeforeTheNextSyncWriteReturns() throws IOException {
        Path crash = dir.resolve("crash-copy");
        try (FileMemoryStore store = open(Durability.SYNC)) {
            store.apply(List.of(pattern("p1")));
            int before = ops.log().size();
            ops.arm(Step.DIR_FSYNC, FaultyFileOps.named("global"), 1);
            store.checkpoint(); // the trim itself succeeded; only its directory fsync is outstanding
            store.apply(List.of(pattern("p2")));
            List<String> globalFsyncs = ops.log().subList(before, ops.log().size()).stream()
                    .filter(s -> s.startsWith("DIR_FSYNC") && s.contains("global")).toList();
            assertThat(globalFsyncs).hasSize(2);
            assertThat(globalFsyncs.get(0)).endsWith("FAILED");
            assertThat(globalFsyncs.get(1)).doesNotEndWith("FAILED");
            store.apply(List.of(pattern("p3")));
            FileMemoryStoreTest.copyTree(root(), crash); // SYNC writes after the trim are in the new journal
        }
        assertReopensWith(root(), List.of("p1", "p2", "p3"), List.of());
        assertReopensWith(crash, List.of("p1", "p2", "p3"), List.of());
    }

    @Test
    void aJournalDirectoryThatCannotBeFsyncedRefusesSyncWritesAndKeepsTheAcknowledgedOnes() throws IOException {
        FileMemoryStore store = open(Durability.SYNC);
        store.apply(List.of(pattern("p1")));
        ops.arm(Step.DIR_FSYNC, FaultyFileOps.named("global"), Integer.MAX_VALUE);
        store.checkpoint();
        assertThatThrownBy(() -> store.apply(List.of(pattern("p2")))).isInstanceOf(AmlException.class)
                .hasMessageContaining("refuses further writes").hasMessageContaining("injected");
        assertThatThrownBy(() -> store.apply(List.of(pattern("p3")))).isInstanceOf(AmlException.class)
                .hasMessageContaining("refuses further writes");
        ops.disarm();
        assertThatThrownBy(store::close).isInstanceOf(AmlException.class);
        try (FileMemoryStore reopened = FileMemoryStore.open(root())) {
            assertThat(ids(reopened, ItemKind.PATTERN)).startsWith("p1").doesNotContain("p3");
        }
    }

    @Test
    void afterAFailedCheckpointTheBackgroundTriggersBackOffWhileExplicitCheckpointsStillTry() throws IOException {
        MutableClock clock = new MutableClock(TestItems.NOW);
        // only the size trigger can fire: the time trigger is an hour away on a clock that moves when told
        FileMemoryStore store = FileMemoryStore.builder(root()).fileOps(ops).clock(clock).checkpointBytes(1024)
                .checkpointInterval(Duration.ofHours(1)).open();
        ops.arm(Step.WRITE, FaultyFileOps.named("patterns.json"), Integer.MAX_VALUE);
        store.apply(List.of(pattern("p0")));
        assertThatThrownBy(store::checkpoint).hasMessageContaining("no space left"); // 1st failure: wait 1 s
        int before = patternWrites();
        for (int i = 1; store.journalSize() <= 1024; i++) {
            store.apply(List.of(pattern("p" + i))); // the write that crosses 1024 bytes queues a checkpoint
        }
        // quiesced checkpoints on the checkpointer thread, after the queued background checkpoint
        assertThatThrownBy(() -> store.quiesced(() -> null)).hasMessageContaining("no space left"); // 2nd: 2 s
        assertThat(patternWrites() - before).as("the background checkpoint waited; only quiesced tried").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        before = patternWrites();
        store.apply(List.of(pattern("late")));
        assertThatThrownBy(() -> store.quiesced(() -> null)).hasMessageContaining("no space left");
        assertThat(patternWrites() - before).as("after the wait the background checkpoint tried again").isEqualTo(2);

        ops.disarm();
        store.checkpoint();
        List<String> expected = store.items(CODER, ItemKind.PATTERN).stream().map(MemoryItem::id).toList();
        store.close();
        assertReopensWith(root(), expected, List.of());
        assertThat(expected).contains("p0", "p1", "late");
    }

    private int patternWrites() {
        return (int) ops.log().stream().filter(l -> l.startsWith("WRITE") && l.contains("patterns.json")).count();
    }

    @Test
    void anUnexpectedExceptionOnTheJournalThreadFailsWaitingWritersInsteadOfHangingThem() throws IOException {
        FileMemoryStore store = open(Durability.SYNC);
        store.apply(List.of(pattern("p1")));
        ops.arm(Step.DIR_FSYNC_UNCHECKED, FaultyFileOps.named("global"), Integer.MAX_VALUE);
        assertThatThrownBy(store::checkpoint).hasMessageContaining("injected"); // the trim's fsync
        // the retried fsync now throws on the journal's own thread, under a SYNC writer waiting for it
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> store.apply(List.of(pattern("p2")))).isInstanceOf(AmlException.class)
                .hasMessageContaining("I/O thread stopped unexpectedly"));
        ops.disarm();
        assertThatThrownBy(store::close).isInstanceOf(AmlException.class);
        try (FileMemoryStore reopened = FileMemoryStore.open(root())) {
            assertThat(ids(reopened, ItemKind.PATTERN)).startsWith("p1");
        }
    }

    @Test
    void aCheckpointRecordWhoseFsyncFailedKeepsTheTempFilesItNames() throws IOException {
        FileMemoryStore store = open(Durability.NONE);
        store.apply(List.of(pattern("p1")));
        // the trim's directory fsync fails and stays pending; NONE writes do not fsync, so the next fsync is
        // the one of the next checkpoint's record, after the record was already written to the file
        ops.arm(Step.DIR_FSYNC, FaultyFileOps.named("global"), Integer.MAX_VALUE);
        store.checkpoint();
        store.apply(List.of(pattern("p2")));
        assertThatThrownBy(store::checkpoint).isInstanceOf(AmlException.class).hasMessageContaining("injected");
        assertThat(temps(coder())).as("named by a record that reached the file").hasSize(1);
        ops.disarm();
        assertThatThrownBy(store::close).isInstanceOf(AmlException.class);

        // nothing crashed: p2 was written to the journal, and recovery trusts the record, so it must find the temp
        assertReopensWith(root(), List.of("p1", "p2"), List.of());
    }
}
