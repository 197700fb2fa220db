package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.loom.TimestampStyle;
import dev.aml.store.internal.JournalFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMemoryStoreTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("memory");
    }

    @Test
    void createsThePrivateLoomLayoutAndWritesPlainJsonOnClose() throws IOException {
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                    Change.upsert(CODER, TestItems.decision("d1", "coder", true))));
        }
        for (String d : List.of("", "global", "config", "monitoring", "coder")) {
            assertThat(root().resolve(d)).isDirectory();
            assertThat(mode(root().resolve(d))).isEqualTo("rwx------");
        }
        Path patterns = root().resolve("coder/patterns.json");
        assertThat(mode(patterns)).isEqualTo("rw-------");
        assertThat(Files.readString(patterns)).startsWith("[\n  {\n    \"id\": \"p1\"");
        assertThat(LoomJson.defaults().read(patterns, ItemKind.PATTERN))
                .containsExactly(TestItems.pattern("p1", "coder"));
        assertThat(root().resolve("coder/solutions.json")).doesNotExist();
        byte[] journal = Files.readAllBytes(root().resolve("global").resolve(FileMemoryStore.JOURNAL_FILE));
        assertThat(JournalFormat.scan(journal).entries()).as("trimmed: only checkpoint records remain")
                .allSatisfy(e -> assertThat(JournalFormat.decode(e.payload(), e.offset(), root()))
                        .isInstanceOf(JournalFormat.Checkpoint.class));
    }

    @Test
    void opensATreeLoomsToolsWroteAndIgnoresFoldersThatAreNotAgents() throws IOException {
        Path coder = Files.createDirectories(root().resolve("coder"));
        Files.write(coder.resolve("patterns.json"), CompressionCodec.gzip().compress(
                "[{\"id\": \"p1\", \"metrics\": {\"success_rate\": 0.25}, \"timestamp\": \"2026-01-01T10:00:00\"}]"
                        .getBytes(StandardCharsets.UTF_8)));
        Files.writeString(coder.resolve("decisions.json"), "[{\"id\": \"d1\", \"outcome\": {\"would_repeat\": false}}]");
        for (String other : List.of("global", "config", "monitoring", "backup", "audit", ".git", "bad:name")) {
            Files.createDirectories(root().resolve(other));
            Files.writeString(root().resolve(other).resolve("patterns.json"), "not json at all");
        }
        Files.writeString(root().resolve("README.txt"), "a file, not an agent");

        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(store.agents()).containsExactly(CODER);
            assertThat(store.unreadableAgents()).isEmpty();
            assertThat(store.items(CODER, ItemKind.PATTERN).get(0).successRate()).isEqualTo(0.25);
            assertThat(store.items(CODER, ItemKind.DECISION).get(0).successRate()).isZero();
        }
    }

    @Test
    void anUnreadableAgentIsReportedAndLeftUntouchedWhileOthersWork() throws IOException {
        Path bad = Files.createDirectories(root().resolve("tester")).resolve("solutions.json");
        byte[] damaged = "[{\"id\": \"s1\"}, {\"id\": ".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, damaged);

        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(store.agents()).containsExactly(TESTER);
            Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
            assertThat(unreadable).containsOnlyKeys(TESTER);
            assertThat(unreadable.get(TESTER).file()).contains(bad);
            assertThatThrownBy(() -> store.items(TESTER, ItemKind.PATTERN)).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("tester").hasMessageContaining("solutions.json");
            assertThatThrownBy(() -> store.apply(List.of(Change.upsert(TESTER, TestItems.pattern("p", "tester")))))
                    .isInstanceOf(CorruptDataException.class);
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
            store.checkpoint();
            assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(1);
        }
        assertThat(Files.readAllBytes(bad)).isEqualTo(damaged);
        assertThat(root().resolve("tester/patterns.json")).doesNotExist();
    }

    @Test
    void flushedWritesSurviveACrashWithoutCheckpoint() throws IOException {
        Path copy = dir.resolve("after-crash");
        try (FileMemoryStore store = FileMemoryStore.builder(root()).durability(Durability.NONE).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                    Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
            store.checkpoint();
            store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1"),
                    Change.upsert(TESTER, TestItems.solution("s1", "tester", true))));
            store.update(CODER, ItemKind.PATTERN, "p2", i -> i.withActive(false));
            store.flush();
            copyTree(root(), copy); // what a crash right now leaves on disk
        }
        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).containsExactly("p2");
            assertThat(recovered.find(CODER, ItemKind.PATTERN, "p2").orElseThrow().active()).isFalse();
            assertThat(recovered.items(TESTER, ItemKind.SOLUTION)).hasSize(1);
        }
    }

    @Test
    void aPruneLikeReplacementIsJournaledAsWhatItDropsAndReplaysAfterACrash() throws IOException {
        Path copy = dir.resolve("after-crash");
        List<String> keptIds;
        long itemFileBytes;
        try (FileMemoryStore store = openWithoutBackgroundCheckpoints()) {
            store.apply(manyPatterns(300));
            store.checkpoint();
            itemFileBytes = Files.size(root().resolve("coder/patterns.json"));
            long journalBefore = Files.size(journal(root()));
            List<MemoryItem> current = store.items(CODER, ItemKind.PATTERN);
            List<MemoryItem> kept = new java.util.ArrayList<>();
            for (int i = 0; i < current.size(); i++) {
                if (i % 3 != 1) {
                    kept.add(current.get(i));
                }
            }
            keptIds = ids(kept);
            store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, kept)));
            store.flush();
            assertThat(Files.size(journal(root())) - journalBefore).as("the entry, next to the %d-byte item file",
                    itemFileBytes).isLessThan(itemFileBytes / 10);
            copyTree(root(), copy); // what a crash right now leaves on disk
        }
        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).isEqualTo(keptIds);
        }
        assertThat(ids(LoomJson.defaults().read(copy.resolve("coder/patterns.json"), ItemKind.PATTERN)))
                .isEqualTo(keptIds);
    }

    @Test
    void aReplacementAfterAnotherChangeToItsListInTheSameBatchReplaysToTheSameList() throws IOException {
        Path copy = dir.resolve("after-crash");
        List<MemoryItem> live;
        try (FileMemoryStore store = openWithoutBackgroundCheckpoints()) {
            store.apply(manyPatterns(6));
            store.checkpoint();
            List<MemoryItem> before = store.items(CODER, ItemKind.PATTERN);
            // the replacement is a subsequence of the list before the batch, not of the list after the upsert
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("added", "coder")),
                    Change.delete(CODER, ItemKind.PATTERN, "p5"),
                    Change.replaceAll(CODER, ItemKind.PATTERN, List.of(before.get(1), before.get(4))),
                    Change.replaceAll(CODER, ItemKind.PATTERN, List.of(before.get(4)))));
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("again", "coder")),
                    Change.replaceAll(CODER, ItemKind.PATTERN, store.items(CODER, ItemKind.PATTERN).subList(0, 1))));
            store.flush();
            live = store.items(CODER, ItemKind.PATTERN);
            copyTree(root(), copy);
        }
        assertThat(ids(live)).containsExactly("p4");
        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(recovered.items(CODER, ItemKind.PATTERN)).isEqualTo(live);
        }
    }

    @Test
    void aReplacementReplayedOverAnExternallyEditedFileDropsTheSameIdsAndKeepsTheEdit() throws IOException {
        Path copy = dir.resolve("after-crash");
        try (FileMemoryStore store = openWithoutBackgroundCheckpoints()) {
            store.apply(manyPatterns(5));
            store.checkpoint();
            List<MemoryItem> current = store.items(CODER, ItemKind.PATTERN);
            store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, List.of(current.get(0), current.get(3)))));
            store.flush();
            copyTree(root(), copy);
        }
        // another program edits the file the crash left behind: it adds an item and drops p4
        Path patterns = copy.resolve("coder/patterns.json");
        List<MemoryItem> edited = new java.util.ArrayList<>(LoomJson.defaults().read(patterns, ItemKind.PATTERN));
        edited.add(2, TestItems.pattern("from-other-tool", "coder"));
        edited.remove(edited.size() - 1);
        Files.write(patterns, LoomJson.defaults().write(edited));

        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).containsExactly("p0", "from-other-tool", "p3");
        }
    }

    @Test
    void aReplacementKeepingOneCopyOfADuplicateIdKeepsThatCopyWhenReplayedOverAnEditedFile() throws IOException {
        Path coder = Files.createDirectories(root().resolve("coder"));
        Pattern older = TestItems.pattern("a", "coder").withActive(false);
        Pattern newer = TestItems.pattern("a", "coder");
        Files.write(coder.resolve("patterns.json"), LoomJson.defaults().write(List.of(older,
                TestItems.pattern("b", "coder"), newer)));
        Path copy = dir.resolve("after-crash");
        try (FileMemoryStore store = openWithoutBackgroundCheckpoints()) {
            List<MemoryItem> current = store.items(CODER, ItemKind.PATTERN);
            // what garbage collection's de-duplication does: the older copy goes, the newest stays
            store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, current.subList(1, 3))));
            store.flush();
            copyTree(root(), copy);
        }
        Path patterns = copy.resolve("coder/patterns.json"); // another program appends an item meanwhile
        List<MemoryItem> edited = new java.util.ArrayList<>(LoomJson.defaults().read(patterns, ItemKind.PATTERN));
        edited.add(TestItems.pattern("c", "coder"));
        Files.write(patterns, LoomJson.defaults().write(edited));

        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            // written in full (a retain's by-id fallback would have dropped both copies of "a"), so it
            // replaces the list as any full replacement does, the other program's append included
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).containsExactly("b", "a");
            assertThat(recovered.items(CODER, ItemKind.PATTERN).get(1)).isEqualTo(newer);
        }
    }

    @Test
    void replacementsRacingOtherWritersReplayToTheListsTheStoreHeld() throws Exception {
        Path copy = dir.resolve("after-crash");
        try (FileMemoryStore store = openWithoutBackgroundCheckpoints()) {
            store.apply(manyPatterns(50));
            store.checkpoint();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    store.apply(List.of(Change.upsert(CODER, TestItems.pattern("w" + i, "coder"))));
                    store.update(CODER, ItemKind.PATTERN, "w" + i, p -> p.withActive(false));
                }
            });
            writer.start();
            try {
                for (int round = 0; round < 200; round++) {
                    List<MemoryItem> current = store.items(CODER, ItemKind.PATTERN);
                    List<MemoryItem> kept = new java.util.ArrayList<>();
                    for (int i = 0; i < current.size(); i++) {
                        if ((i + round) % 4 != 0) {
                            kept.add(current.get(i));
                        }
                    }
                    store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, kept)));
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            store.flush();
            List<MemoryItem> live = store.items(CODER, ItemKind.PATTERN);
            copyTree(root(), copy);
            try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
                assertThat(recovered.items(CODER, ItemKind.PATTERN)).isEqualTo(live); // whole items: active flags too
            }
        }
    }

    /** A store that checkpoints only when told: what a crash leaves is then the journal as written. */
    private FileMemoryStore openWithoutBackgroundCheckpoints() {
        return FileMemoryStore.builder(root()).durability(Durability.NONE).checkpointBytes(Long.MAX_VALUE)
                .checkpointInterval(Duration.ofDays(1)).open();
    }

    private static List<Change> manyPatterns(int n) {
        List<Change> changes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            changes.add(Change.upsert(CODER, TestItems.pattern("p" + i, "coder")));
        }
        return changes;
    }

    private static Path journal(Path memoryRoot) {
        return memoryRoot.resolve("global").resolve(FileMemoryStore.JOURNAL_FILE);
    }

    @Test
    void aTornJournalTailIsDroppedAndEverythingBeforeItKept() throws IOException {
        Path copy = dir.resolve("torn");
        try (FileMemoryStore store = FileMemoryStore.builder(root()).durability(Durability.SYNC).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
            copyTree(root(), copy);
        }
        Path journal = copy.resolve("global").resolve(FileMemoryStore.JOURNAL_FILE);
        byte[] bytes = Files.readAllBytes(journal);
        Files.write(journal, java.util.Arrays.copyOf(bytes, bytes.length - 7)); // second entry torn
        try (FileMemoryStore recovered = FileMemoryStore.open(copy)) {
            assertThat(ids(recovered.items(CODER, ItemKind.PATTERN))).containsExactly("p1");
            recovered.apply(List.of(Change.upsert(CODER, TestItems.pattern("p3", "coder"))));
        }
        try (FileMemoryStore again = FileMemoryStore.open(copy)) {
            assertThat(ids(again.items(CODER, ItemKind.PATTERN))).containsExactly("p1", "p3");
        }
    }

    @Test
    void corruptionBeforeTheTailRefusesReadWriteButAllowsReadOnly() throws IOException {
        Path copy = dir.resolve("damaged");
        try (FileMemoryStore store = FileMemoryStore.builder(root()).durability(Durability.SYNC).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
            copyTree(root(), copy);
        }
        Path journal = copy.resolve("global").resolve(FileMemoryStore.JOURNAL_FILE);
        byte[] bytes = Files.readAllBytes(journal);
        bytes[30] ^= 0x40; // inside the first entry's payload
        Files.write(journal, bytes);

        assertThatThrownBy(() -> FileMemoryStore.open(copy)).isInstanceOfSatisfying(CorruptDataException.class, e -> {
            assertThat(e.file()).contains(journal);
            assertThat(e.position()).isEqualTo(8);
            assertThat(e.getMessage()).contains("read-only");
        });
        assertThat(Files.readAllBytes(journal)).isEqualTo(bytes);
        try (FileMemoryStore reader = FileMemoryStore.builder(copy).readOnly(true).open()) {
            assertThat(reader.journalProblem()).isPresent();
            assertThat(reader.items(CODER, ItemKind.PATTERN)).isEmpty();
            assertThatThrownBy(() -> reader.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "x"))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        }
        assertThat(Files.readAllBytes(journal)).isEqualTo(bytes);
        // the second open (lock released after the refused one)
        assertThatThrownBy(() -> FileMemoryStore.open(copy)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void aSecondWriterIsRefusedWithTheLockFileAndHolder() {
        try (FileMemoryStore first = FileMemoryStore.open(root())) {
            assertThatThrownBy(() -> FileMemoryStore.open(root()))
                    .isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("aml.lock")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> FileMemoryStore.builder(root()).lockTimeout(Duration.ofMillis(60)).open())
                    .isInstanceOf(ConcurrentOperationException.class).hasMessageContaining("waited");
            try (FileMemoryStore reader = FileMemoryStore.builder(root()).readOnly(true).open()) {
                assertThat(reader.readOnly()).isTrue();
            }
            first.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        }
        try (FileMemoryStore next = FileMemoryStore.open(root())) {
            assertThat(next.items(CODER, ItemKind.PATTERN)).hasSize(1);
        }
    }

    @Test
    void aWriterWithALockTimeoutGetsTheTreeWhenTheHolderCloses() throws Exception {
        FileMemoryStore first = FileMemoryStore.open(root());
        first.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<FileMemoryStore> second = pool.submit(
                    () -> FileMemoryStore.builder(root()).lockTimeout(Duration.ofMinutes(1)).open());
            first.close();
            try (FileMemoryStore store = second.get(1, java.util.concurrent.TimeUnit.MINUTES)) {
                assertThat(store.items(CODER, ItemKind.PATTERN)).containsExactly(TestItems.pattern("p1", "coder"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRootThatIsAFileIsRejected() throws IOException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> FileMemoryStore.open(file)).isInstanceOf(dev.aml.core.InvalidInputException.class)
                .hasMessageContaining("not-a-dir");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void anExternalEditIsNeverOverwrittenAndMergesOnReopen() throws IOException {
        Path patterns = root().resolve("coder/patterns.json");
        FileMemoryStore store = FileMemoryStore.open(root());
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        store.checkpoint();
        String external = "[{\"id\": \"from-other-tool\", \"agent\": \"coder\"}]";
        Files.writeString(patterns, external);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));

        assertThatThrownBy(store::checkpoint).isInstanceOf(ConcurrentOperationException.class)
                .hasMessageContaining(patterns.toString()).hasMessageContaining("reopen");
        assertThat(Files.readString(patterns)).isEqualTo(external);
        assertThatThrownBy(store::close).isInstanceOf(ConcurrentOperationException.class);
        assertThat(Files.readString(patterns)).isEqualTo(external);

        try (FileMemoryStore reopened = FileMemoryStore.open(root())) {
            assertThat(ids(reopened.items(CODER, ItemKind.PATTERN))).containsExactly("from-other-tool", "p2");
        }
        assertThat(ids(LoomJson.defaults().read(patterns, ItemKind.PATTERN))).containsExactly("from-other-tool", "p2");
    }

    @Test
    void readOnlyStoresChangeNothingOnDisk() throws IOException {
        try (FileMemoryStore reader = FileMemoryStore.builder(root()).readOnly(true).open()) {
            assertThat(reader.agents()).isEmpty();
            reader.checkpoint();
        }
        assertThat(root()).doesNotExist();
    }

    @Test
    void quiescedSeesTheCheckpointedFiles() {
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
            List<MemoryItem> onDisk = store.quiesced(
                    () -> LoomJson.defaults().read(root().resolve("coder/patterns.json"), ItemKind.PATTERN));
            assertThat(onDisk).containsExactly(TestItems.pattern("p1", "coder"));
        }
    }

    @Test
    void configuredCodecAndTimestampStyleApplyToItemFiles() throws IOException {
        try (FileMemoryStore store = FileMemoryStore.builder(root()).codec(CompressionCodec.gzip())
                .timestampStyle(TimestampStyle.NAIVE_LOCAL).zone(java.time.ZoneOffset.UTC).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        }
        byte[] raw = Files.readAllBytes(root().resolve("coder/patterns.json"));
        assertThat(CompressionCodec.detect(raw)).isSameAs(CompressionCodec.gzip());
        String text = new String(CompressionCodec.gzip().decompress(raw), StandardCharsets.UTF_8);
        assertThat(text).contains("\"timestamp\": \"2026-05-22T12:00:00\"");
        try (FileMemoryStore again = FileMemoryStore.open(root())) {
            assertThat(again.items(CODER, ItemKind.PATTERN)).containsExactly(TestItems.pattern("p1", "coder"));
        }
    }

    @Test
    void aDotJsonDotGzFileIsReadAndWrittenBackUnderItsName() throws IOException {
        Path coder = Files.createDirectories(root().resolve("coder"));
        Files.write(coder.resolve("decisions.json.gz"),
                CompressionCodec.gzip().compress("[{\"id\": \"d1\"}]".getBytes(StandardCharsets.UTF_8)));
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            assertThat(ids(store.items(CODER, ItemKind.DECISION))).containsExactly("d1");
            store.apply(List.of(Change.upsert(CODER, TestItems.decision("d2", "coder", null))));
        }
        assertThat(coder.resolve("decisions.json")).doesNotExist();
        assertThat(ids(LoomJson.defaults().read(coder.resolve("decisions.json.gz"), ItemKind.DECISION)))
                .containsExactly("d1", "d2");
    }

    @Test
    void builderOptionsAreSetOnceAndValidated() {
        FileMemoryStore.Builder b = FileMemoryStore.builder(root()).durability(Durability.SYNC);
        assertThatThrownBy(() -> b.durability(Durability.NONE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SYNC");
        assertThatThrownBy(() -> FileMemoryStore.builder(root()).lockTimeout(Duration.ofSeconds(-1)).open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout");
        assertThatThrownBy(() -> FileMemoryStore.builder(root()).checkpointBytes(10).open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpointBytes");
    }

    @Test
    void aSmallCheckpointThresholdKeepsTheJournalShort() throws Exception {
        try (FileMemoryStore store = FileMemoryStore.builder(root()).checkpointBytes(4096).open()) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p0", "coder"))));
            for (int i = 0; i < 200; i++) {
                store.update(CODER, ItemKind.PATTERN, "p0", p -> ((Pattern) p).withOutcome(
                        dev.aml.core.Outcome.success(), TestItems.NOW, 0.1));
            }
            store.checkpoint();
            assertThat(store.journalSize()).isLessThan(4096);
            assertThat(LoomJson.defaults().read(root().resolve("coder/patterns.json"), ItemKind.PATTERN).get(0)
                    .executionCount()).isEqualTo(205);
        }
    }

    @Test
    void everyTruncationOfAnItemFileIsReportedAndNothingIsWritten() throws IOException {
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                    Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
        }
        Path patterns = root().resolve("coder/patterns.json");
        byte[] whole = Files.readAllBytes(patterns);
        for (int cut = 0; cut < whole.length - 1; cut += 23) {
            byte[] truncated = java.util.Arrays.copyOf(whole, cut);
            Files.write(patterns, truncated);
            try (FileMemoryStore store = FileMemoryStore.open(root())) {
                assertThat(store.unreadableAgents()).as("cut at %d", cut).containsOnlyKeys(CODER);
                assertThatThrownBy(() -> store.items(CODER, ItemKind.PATTERN))
                        .isInstanceOf(CorruptDataException.class).hasMessageContaining("patterns.json");
                store.apply(List.of(Change.upsert(TESTER, TestItems.pattern("t", "tester"))));
            }
            assertThat(Files.readAllBytes(patterns)).as("cut at %d", cut).isEqualTo(truncated);
        }
    }

    @Test
    void aFlippedByteInAnItemFileIsReportedOrHarmlessAndTheFileIsNeverRewrittenBlindly() throws IOException {
        try (FileMemoryStore store = FileMemoryStore.open(root())) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        }
        Path patterns = root().resolve("coder/patterns.json");
        byte[] whole = Files.readAllBytes(patterns);
        java.util.Random random = new java.util.Random(whole.length);
        for (int i = 0; i < 25; i++) {
            byte[] damaged = whole.clone();
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            Files.write(patterns, damaged);
            boolean readable;
            try (FileMemoryStore store = FileMemoryStore.open(root())) {
                readable = store.unreadableAgents().isEmpty();
                if (!readable) {
                    assertThat(store.unreadableAgents().get(CODER).file()).contains(patterns);
                    assertThatThrownBy(() -> store.find(CODER, ItemKind.PATTERN, "p1"))
                            .isInstanceOf(CorruptDataException.class);
                }
            }
            assertThat(Files.readAllBytes(patterns)).as("flip %d", i).isEqualTo(damaged);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(FileMemoryStore.LOCK_FILE)) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static List<String> ids(List<? extends MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }
}
