package dev.aml.maintenance;

import static dev.aml.maintenance.Fixtures.decision;
import static dev.aml.maintenance.Fixtures.healthy;
import static dev.aml.maintenance.Fixtures.op;
import static dev.aml.maintenance.Fixtures.pattern;
import static dev.aml.maintenance.Fixtures.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneOperationTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path tmp;

    private TestStore sample(Path root) {
        return new TestStore(root).with(
                healthy("keep-1", "coder", 5),
                healthy("old-1", "coder", 100),
                healthy("keep-2", "coder", 5),
                pattern("failing", "coder", 0.05, 8, 0.5, daysAgo(3), daysAgo(3)),
                healthy("keep-3", "coder", 5),
                decision("d-old", "coder", 200, null),
                decision("d-keep", "coder", 3, DecisionOutcome.of(true)),
                decision("d-regret", "coder", 3, DecisionOutcome.of(false)),
                healthy("tester-keep", "tester", 1));
    }

    private static List<String> ids(TestStore store, String agent, ItemKind kind) {
        return store.items(AgentId.of(agent), kind).stream().map(MemoryItem::id).toList();
    }

    @Test
    void executeBacksUpFirstThenRemovesExactlyThePlanKeepingOrder() {
        Path root = tmp.resolve("memory");
        TestStore store = sample(root);
        FakeBackups backups = new FakeBackups();
        backups.during = () -> assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(5);
        PruneReport dry = op(store, PruneConfig.defaults(), backups).dryRun();
        PruneReport done = op(store, PruneConfig.defaults(), backups).execute();

        assertThat(done.plan().candidates()).isEqualTo(dry.plan().candidates());
        assertThat(ids(store, "coder", ItemKind.PATTERN)).containsExactly("keep-1", "keep-2", "keep-3");
        assertThat(ids(store, "coder", ItemKind.DECISION)).containsExactly("d-keep");
        assertThat(ids(store, "tester", ItemKind.PATTERN)).containsExactly("tester-keep");
        assertThat(store.applies.get()).as("one atomic batch").isEqualTo(1);
        assertThat(store.checkpoints.get()).isEqualTo(1);

        assertThat(backups.descriptions).singleElement().asString().startsWith("Pre-prune backup");
        assertThat(done.backupId()).isEqualTo("full_20260601_120001");
        assertThat(done.dryRun()).isFalse();
        assertThat(done.itemsRemoved()).isEqualTo(4);
        assertThat(done.itemsArchived()).isEqualTo(2);
        assertThat(done.itemsPruned()).isEqualTo(2);
        assertThat(done.bytesFreed()).isPositive();
        assertThat(done.countsByReason()).containsEntry(PruneReason.UNUSED_TOO_LONG, 2)
                .containsEntry(PruneReason.LOW_SUCCESS_RATE, 1).containsEntry(PruneReason.NEGATIVE_OUTCOME, 1);
        assertThat(done.rows()).extracting(PruneReport.Row::count).containsExactly(1, 1, 1, 1);
    }

    @Test
    void archivesHoldTheRemovedDecisionsAsGzipJsonBeforeTheyLeave() throws IOException {
        Path root = tmp.resolve("memory");
        TestStore store = sample(root);
        PruneReport done = op(store, PruneConfig.defaults(), new FakeBackups()).execute();

        Path archives = tmp.resolve("memory-backup/archives/coder");
        assertThat(done.archives()).containsExactlyInAnyOrder(
                archives.resolve("decisions_20260601_120000.json.gz"),
                archives.resolve("negative_decisions_20260601_120000.json.gz"));
        JsonNode aged = new ObjectMapper().readTree(AtomicFiles.gunzip(Files.readAllBytes(
                archives.resolve("decisions_20260601_120000.json.gz"))));
        assertThat(aged.size()).isEqualTo(1);
        assertThat(aged.get(0).get("id").asText()).isEqualTo("d-old");
        assertThat(aged.get(0).get("decision").get("question").asText()).isEqualTo("q-d-old");

        // a second prune in the same second never overwrites the first archive
        TestStore again = new TestStore(root).with(decision("d-old-2", "coder", 300, null));
        PruneReport second = op(again, PruneConfig.defaults(), new FakeBackups()).execute();
        assertThat(second.archives()).containsExactly(archives.resolve("decisions_20260601_120000_2.json.gz"));
        assertThat(Files.size(archives.resolve("decisions_20260601_120000.json.gz"))).isPositive();
    }

    @Test
    void aFailedBackupPrunesNothing() {
        TestStore store = sample(tmp.resolve("memory"));
        FakeBackups backups = new FakeBackups();
        backups.fail = true;
        assertThatThrownBy(() -> op(store, PruneConfig.defaults(), backups).execute())
                .isInstanceOf(BackupException.class).hasMessageContaining("disk full");
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(5);
        assertThat(ids(store, "coder", ItemKind.DECISION)).hasSize(3);
        assertThat(tmp.resolve("memory-backup")).doesNotExist();
    }

    @Test
    void withoutABackupEngineNothingIsPrunedUnlessTheBackupIsTurnedOff() {
        TestStore store = sample(tmp.resolve("memory"));
        assertThatThrownBy(() -> op(store, PruneConfig.defaults(), null).execute())
                .isInstanceOf(BackupException.class).hasMessageContaining("nothing was pruned");
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(5);

        PruneReport done = op(store, PruneConfig.builder().createBackup(false).build(), null).execute();
        assertThat(done.backupId()).isNull();
        assertThat(done.warnings()).anySatisfy(w -> assertThat(w).contains("No pre-prune backup"));
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(3);
    }

    @Test
    void anArchiveFailureAbortsThePrune() throws IOException {
        Path root = tmp.resolve("memory");
        Files.createDirectories(tmp.resolve("memory-backup"));
        Files.writeString(tmp.resolve("memory-backup/archives"), "a file where the directory should be");
        TestStore store = sample(root);
        assertThatThrownBy(() -> op(store, PruneConfig.defaults(), new FakeBackups()).execute())
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("Could not archive").hasMessageContaining("Nothing was pruned");
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(5);
        assertThat(ids(store, "coder", ItemKind.DECISION)).hasSize(3);
    }

    @Test
    void nothingToRemoveTakesNoBackup() {
        TestStore store = new TestStore().with(healthy("a", "coder", 1));
        FakeBackups backups = new FakeBackups();
        PruneReport r = op(store, PruneConfig.defaults(), backups).execute();
        assertThat(r.itemsRemoved()).isZero();
        assertThat(r.backupId()).isNull();
        assertThat(backups.descriptions).isEmpty();
    }

    @Test
    void anotherMaintenanceOperationBlocksThePrune() {
        TestStore store = sample(null);
        try (MaintenanceLock held = store.lockMaintenance("backup")) {
            assertThat(held.operation()).isEqualTo("backup");
            assertThatThrownBy(() -> op(store, PruneConfig.defaults(), new FakeBackups()).execute())
                    .isInstanceOf(ConcurrentOperationException.class).hasMessageContaining("'backup'");
        }
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(5);
    }

    @Test
    void unreadableAgentsAreSkippedNotPrunedAround() {
        TestStore store = sample(null);
        store.unreadable.put(AgentId.of("broken"),
                new dev.aml.core.CorruptDataException("broken/decisions.json is truncated at byte 812."));
        PruneReport r = op(store, PruneConfig.defaults(), new FakeBackups()).execute();
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().asString().contains("'broken'", "truncated");
        assertThat(ids(store, "coder", ItemKind.PATTERN)).hasSize(3);
    }

    @Test
    void aConcurrentWriteMakesThePruneReplanAndLosesNothing() {
        TestStore store = sample(null);
        FakeBackups backups = new FakeBackups();
        backups.during = () -> store.beforeNextSnapshotCheck = () -> store.delegate.apply(List.of(
                dev.aml.core.Change.upsert(CODER, healthy("recorded-meanwhile", "coder", 0.01 + 2))));
        PruneReport r = op(store, PruneConfig.defaults(), backups).execute();
        assertThat(ids(store, "coder", ItemKind.PATTERN))
                .containsExactly("keep-1", "keep-2", "keep-3", "recorded-meanwhile");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("plan was made again"));
    }

    @Test
    void aDryRunLeavesEveryByteOfTheTreeAsItWas() throws Exception {
        Path root = tmp.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[{\"id\":\"old-1\"}]");
        Files.writeString(root.resolve("coder/decisions.json"), "[]");
        Map<String, String> before = hashes(tmp);
        TestStore store = sample(root);
        PruneReport r = op(store, PruneConfig.defaults(), new FakeBackups()).dryRun();
        assertThat(r.itemsRemoved()).isEqualTo(4);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.backupId()).isNull();
        assertThat(hashes(tmp)).isEqualTo(before);
        assertThat(store.applies.get()).isZero();
    }

    @Test
    void onTheFileStoreADryRunWritesNothingAndExecuteShrinksTheFiles() throws Exception {
        Path root = tmp.resolve("loom/memory");
        try (dev.aml.store.FileMemoryStore store = dev.aml.store.FileMemoryStore.open(root)) {
            store.apply(List.of(
                    dev.aml.core.Change.upsert(CODER, healthy("keep", "coder", 5)),
                    dev.aml.core.Change.upsert(CODER, healthy("old", "coder", 100)),
                    dev.aml.core.Change.upsert(CODER, decision("d-old", "coder", 200, null))));
            store.checkpoint();
            Map<String, String> before = hashes(tmp);
            PruneOperation op = PruneOperation.of(store, Fixtures.CLOCK, PruneConfig.defaults(), FakeBackups::new);
            PruneReport dry = op.dryRun();
            assertThat(dry.itemsRemoved()).isEqualTo(2);
            assertThat(hashes(tmp)).isEqualTo(before);

            PruneReport done = op.execute();
            assertThat(done.plan().candidates()).isEqualTo(dry.plan().candidates());
            String patterns = Files.readString(root.resolve("coder/patterns.json"));
            assertThat(patterns).contains("\"keep\"").doesNotContain("\"old\"");
            assertThat(Files.readString(root.resolve("coder/decisions.json"))).doesNotContain("d-old");
            assertThat(tmp.resolve("loom/memory-backup/archives/coder")).isDirectory();
        }
    }

    @Test
    void naiveZonedAndMissingTimestampsInALoomTree() throws Exception {
        Path root = tmp.resolve("loom/memory");
        Files.createDirectories(root.resolve("coder"));
        String item = "{\"id\":\"%s\",\"agent\":\"coder\",\"timestamp\":\"%s\",\"pattern\":{\"type\":\"t\"},"
                + "\"metrics\":{\"successRate\":0.9,\"executionCount\":5},\"evolution\":{\"confidenceScore\":0.8}}";
        String json = "[" + String.join(",",
                String.format(item, "naive-old", "2026-01-02T03:04:05.123456"),
                String.format(item, "z-old", "2026-01-02T03:04:05Z"),
                String.format(item, "offset-old", "2026-01-02T05:04:05+02:00"),
                String.format(item, "z-new", "2026-05-20T00:00:00.000Z"),
                String.format(item, "garbage-date", "last tuesday")) + "]";
        Files.writeString(root.resolve("coder/patterns.json"), json);
        try (dev.aml.store.FileMemoryStore store = dev.aml.store.FileMemoryStore.open(root)) {
            PruneReport r = PruneOperation.of(store, Fixtures.CLOCK, PruneConfig.defaults(), FakeBackups::new).execute();
            assertThat(r.candidates()).extracting(PruneCandidate::id)
                    .containsExactly("naive-old", "z-old", "offset-old");
            assertThat(r.plan().undated()).extracting(PrunePlan.ItemRef::id).containsExactly("garbage-date");
            assertThat(ids(storeView(store), "coder", ItemKind.PATTERN)).containsExactly("z-new", "garbage-date");
        }
        assertThat(Files.readString(root.resolve("coder/patterns.json"))).contains("last tuesday");
    }

    private static TestStore storeView(dev.aml.core.MemoryStore store) {
        TestStore view = new TestStore();
        for (AgentId a : store.agents()) {
            for (ItemKind k : ItemKind.values()) {
                view.withList(a, k, store.items(a, k));
            }
        }
        return view;
    }

    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                String key = dir.relativize(p).toString();
                if (Files.isRegularFile(p)) {
                    out.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p))));
                } else {
                    out.put(key, "dir");
                }
            }
        }
        return out;
    }
}
