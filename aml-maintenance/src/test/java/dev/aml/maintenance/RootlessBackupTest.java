package dev.aml.maintenance;

import static dev.aml.maintenance.Fixtures.decision;
import static dev.aml.maintenance.Fixtures.healthy;
import static dev.aml.maintenance.Fixtures.pattern;
import static dev.aml.maintenance.Fixtures.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.Change;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.StoreContents;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomExport;
import dev.aml.loom.LoomJson;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a store without a memory root (in memory here; PostgreSQL goes the same way, tested in
 * aml-store-jdbc): logical exports in Loom's layout, full and incremental, verified, restored into a
 * tree or in place.
 */
class RootlessBackupTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(TestItems.NOW);

    private MemoryManager manager(MemoryStore store) {
        return MemoryManager.builder().store(store).clock(clock)
                .backupConfig(BackupConfig.builder().backupRoot(tmp.resolve("backups")).build()).build();
    }

    private static MemoryStore filled() {
        MemoryStore store = MemoryStore.inMemory();
        store.apply(List.of(
                Change.upsert(CODER, healthy("keep-1", "coder", 5)),
                Change.upsert(CODER, healthy("old-1", "coder", 100)),
                Change.upsert(CODER, pattern("failing", "coder", 0.05, 8, 0.5, daysAgo(3), daysAgo(3))),
                Change.upsert(CODER, TestItems.solution("s-1", "coder", true)),
                Change.upsert(CODER, decision("d-keep", "coder", 3, DecisionOutcome.of(true))),
                Change.upsert(TESTER, healthy("tester-keep", "tester", 1))));
        return store;
    }

    /** The items of a restored Loom tree, read by the file store. */
    private static Map<String, List<MemoryItem>> tree(Path root) {
        try (FileMemoryStore opened = FileMemoryStore.builder(root).readOnly(true).open()) {
            return StoreContents.of(opened);
        }
    }

    @Test
    void fullAndIncrementalBackupsRestoreEachPointAsALoomTree() throws IOException {
        MemoryStore store = filled();
        try (MemoryManager aml = manager(store)) {
            Backups backups = aml.backups();
            Map<String, List<MemoryItem>> atFull = StoreContents.of(store);
            BackupInfo full = backups.createFull("first");

            clock.advance(Duration.ofSeconds(30));
            store.apply(List.of(Change.upsert(CODER, healthy("new-1", "coder", 1)),
                    Change.upsert(AgentId.of("reviewer"), healthy("r-1", "reviewer", 2))));
            Map<String, List<MemoryItem>> atIncr1 = StoreContents.of(store);
            BackupInfo incr1 = backups.createIncremental("");

            clock.advance(Duration.ofSeconds(30));
            store.apply(List.of(Change.replaceAll(TESTER, ItemKind.PATTERN, List.of())));
            Map<String, List<MemoryItem>> atIncr2 = StoreContents.of(store);
            BackupInfo incr2 = backups.createIncremental("");

            assertThat(full.type()).isEqualTo(BackupType.FULL);
            assertThat(full.fileCount()).isEqualTo(4); // coder: 3 kinds, tester: patterns
            assertThat(full.verified()).isTrue();
            assertThat(incr1.type()).isEqualTo(BackupType.INCREMENTAL);
            assertThat(incr1.parentId()).isEqualTo(full.id());
            // only what changed is stored: coder's patterns and the new reviewer's patterns
            assertThat(incr1.fileCount()).isEqualTo(2);
            assertThat(incr2.fileCount()).isZero(); // a deletion only
            assertThat(backups.list()).extracting(BackupInfo::id).containsExactly(incr2.id(), incr1.id(), full.id());

            Map<BackupInfo, Map<String, List<MemoryItem>>> points = Map.of(full, atFull, incr1, atIncr1, incr2,
                    atIncr2);
            for (Map.Entry<BackupInfo, Map<String, List<MemoryItem>>> p : points.entrySet()) {
                VerifyReport check = backups.verify(p.getKey().id(), true);
                assertThat(check.problems()).isEmpty();
                Path target = tmp.resolve("restored-" + p.getKey().id());
                RestoreReport r = backups.restore(p.getKey().id(), target);
                assertThat(r.inPlace()).isFalse();
                assertThat(tree(target)).as(p.getKey().id()).isEqualTo(p.getValue());
            }
            // the bytes are the store's own export: exactly what LoomExport (and exportTo) render
            LoomExport export = store.quiesced(() -> LoomExport.of(store, LoomJson.defaults()));
            for (LoomExport.File f : export.files()) {
                assertThat(Files.readAllBytes(tmp.resolve("restored-" + incr2.id()).resolve(f.relativePath())))
                        .isEqualTo(export.render(f));
            }
        }
    }

    @Test
    void deleteAndRotationKeepEveryChainThatRemainsRestorable() {
        MemoryStore store = filled();
        try (MemoryManager aml = MemoryManager.builder().store(store).clock(clock)
                .backupConfig(BackupConfig.builder().backupRoot(tmp.resolve("backups")).maxBackups(2).build())
                .build()) {
            Backups backups = aml.backups();
            BackupInfo full1 = backups.createFull("");
            clock.advance(Duration.ofDays(1));
            store.apply(List.of(Change.upsert(CODER, healthy("day-1", "coder", 0))));
            BackupInfo incr1 = backups.createIncremental("");
            clock.advance(Duration.ofDays(1));
            store.apply(List.of(Change.upsert(CODER, healthy("day-2", "coder", 0))));
            Map<String, List<MemoryItem>> last = StoreContents.of(store);
            BackupInfo incr2 = backups.createIncremental("");

            assertThatThrownBy(() -> backups.delete(full1.id())).isInstanceOf(BackupException.class)
                    .hasMessageContaining(incr1.id());
            RotationReport plan = backups.rotate(false);

            // two are allowed, but incr2 needs incr1 and full1: none of its chain may go
            assertThat(plan.deleted()).isEmpty();
            assertThat(plan.kept()).contains(full1.id(), incr1.id(), incr2.id());
            backups.delete(incr2.id());
            assertThat(backups.list()).extracting(BackupInfo::id).containsExactly(incr1.id(), full1.id());
            BackupInfo incr3 = backups.createIncremental("");
            assertThat(incr3.parentId()).isEqualTo(incr1.id());
            backups.restore(incr3.id(), tmp.resolve("last"));
            assertThat(tree(tmp.resolve("last"))).isEqualTo(last);
        }
    }

    @Test
    void inPlaceRestoreReplacesEveryAgentsItemsAfterASafetyBackup() {
        MemoryStore store = filled();
        try (MemoryManager aml = manager(store)) {
            Backups backups = aml.backups();
            Map<String, List<MemoryItem>> before = StoreContents.of(store);
            BackupInfo full = backups.createFull("before the mess");

            clock.advance(Duration.ofMinutes(1));
            store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, List.of()),
                    Change.upsert(AgentId.of("newcomer"), healthy("n-1", "newcomer", 1))));
            Map<String, List<MemoryItem>> mess = StoreContents.of(store);

            clock.advance(Duration.ofMinutes(1));
            RestoreReport r = backups.restoreInPlace(full.id());

            assertThat(r.inPlace()).isTrue();
            assertThat(r.target()).isNull();
            assertThat(r.itemsRestored()).isEqualTo(6);
            // exactly the backup's state: the agent created afterwards is emptied
            assertThat(StoreContents.of(store)).isEqualTo(before);
            assertThat(store.items(AgentId.of("newcomer"), ItemKind.PATTERN)).isEmpty();
            // the safety backup holds the state it replaced, and restores it
            BackupInfo safety = backups.find(r.safetyBackupId()).orElseThrow();
            assertThat(safety.description()).startsWith("Pre-restore safety backup");
            backups.restoreInPlace(safety.id());
            assertThat(StoreContents.of(store)).isEqualTo(mess);
        }
    }

    @Test
    void restoreInPlaceAtPicksTheNewestBackupAtOrBeforeTheTime() {
        MemoryStore store = filled();
        try (MemoryManager aml = manager(store)) {
            Backups backups = aml.backups();
            Map<String, List<MemoryItem>> first = StoreContents.of(store);
            backups.createFull("");
            clock.advance(Duration.ofHours(1));
            store.apply(List.of(Change.upsert(CODER, healthy("later", "coder", 1))));
            backups.createFull("");

            backups.restoreInPlaceAt(TestItems.NOW.plusSeconds(60));

            assertThat(StoreContents.of(store)).isEqualTo(first);
        }
    }

    @Test
    void pruneTakesAPrePruneBackupThatRestoresWhatWasPruned() {
        MemoryStore store = filled();
        try (MemoryManager aml = manager(store)) {
            Map<String, List<MemoryItem>> before = StoreContents.of(store);

            PruneReport r = aml.prune(PruneConfig.defaults()).execute();

            assertThat(r.itemsRemoved()).isPositive();
            assertThat(r.backupId()).isNotNull();
            assertThat(StoreContents.of(store)).isNotEqualTo(before);
            BackupInfo backup = aml.backups().find(r.backupId()).orElseThrow();
            assertThat(backup.description()).startsWith("Pre-prune backup");
            assertThat(aml.backups().verify(backup.id(), true).ok()).isTrue();
            aml.backups().restore(backup.id(), tmp.resolve("undo"));
            assertThat(tree(tmp.resolve("undo"))).isEqualTo(before);
        }
    }

    @Test
    void withABackupRootMonitoringJudgesTheBackupsAndTheAdvisorTakesOne() {
        try (MemoryManager aml = manager(filled())) {
            HealthCheck none = aml.monitor().health().check(HealthCheck.RECENT_BACKUP).orElseThrow();
            assertThat(none.status()).isEqualTo(HealthStatus.WARNING);
            assertThat(none.message()).contains("No backups found")
                    .contains("backup create --backup-root " + tmp.resolve("backups"));
            Advice advice = aml.advise();
            assertThat(advice.steps()).extracting(Advice.Step::action).contains(Advice.Action.BACKUP);

            AdviceReport done = advice.apply();

            assertThat(done.succeeded()).isTrue();
            assertThat(aml.backups().list()).hasSize(1);
            HealthCheck fresh = aml.monitor().health().check(HealthCheck.RECENT_BACKUP).orElseThrow();
            assertThat(fresh.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(fresh.message()).contains(aml.backups().list().get(0).id());
        }
    }

    @Test
    void withoutABackupRootBackupsAndPruneExplainWhatToSet() {
        MemoryStore store = filled();
        try (MemoryManager aml = MemoryManager.builder().store(store).clock(clock).build()) {
            Map<String, List<MemoryItem>> before = StoreContents.of(store);

            assertThatThrownBy(aml::backups).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("in-memory store").hasMessageContaining("BackupConfig.backupRoot")
                    .hasMessageContaining("--backup-root DIR");
            assertThatThrownBy(() -> aml.prune(PruneConfig.defaults()).execute())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("--backup-root DIR").hasMessageContaining("--no-backup")
                    .hasMessageContaining("Nothing was pruned");
            assertThat(StoreContents.of(store)).isEqualTo(before);
            // with the backup turned off explicitly, the prune runs (and warns)
            PruneReport r = aml.prune(PruneConfig.defaults().toBuilder().createBackup(false).build()).execute();
            assertThat(r.backupId()).isNull();
            assertThat(r.itemsRemoved()).isPositive();
        }
    }

    @Test
    void aTreesBackupIsNotRestoredInPlaceIntoARootlessStoreButIntoAFolder() throws IOException {
        Path backupRoot = tmp.resolve("backups");
        Path memory = tmp.resolve("memory");
        String treeBackup;
        try (MemoryManager files = MemoryManager.builder().memoryRoot(memory).clock(clock)
                .backupConfig(BackupConfig.builder().backupRoot(backupRoot).build()).build()) {
            files.agent("coder").patterns().record(PatternDraft.of("retry", Map.of("protocol", "http")));
            files.store().checkpoint();
            Files.createDirectories(memory.resolve("config"));
            Files.writeString(memory.resolve("config/schema_version.json"), "{\"current_version\":\"1.2.0\"}");
            treeBackup = files.backups().createFull("from a laptop").id();
        }
        MemoryStore store = filled();
        clock.advance(Duration.ofMinutes(1));
        try (MemoryManager aml = manager(store)) {
            Map<String, List<MemoryItem>> before = StoreContents.of(store);

            assertThatThrownBy(() -> aml.backups().restoreInPlace(treeBackup)).isInstanceOf(BackupException.class)
                    .hasMessageContaining("config/schema_version.json").hasMessageContaining("--target DIR")
                    .hasMessageContaining("Nothing was changed");
            assertThat(StoreContents.of(store)).isEqualTo(before);
            assertThat(aml.backups().list()).hasSize(1); // not even a safety backup was needed

            aml.backups().restore(treeBackup, tmp.resolve("laptop"));
            try (Stream<Path> s = Files.list(tmp.resolve("laptop"))) {
                assertThat(s.map(p -> p.getFileName().toString())).contains("coder", "config");
            }
        }
    }
}
