package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.StoreContents;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.Backups;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.PruneStrategy;
import dev.aml.maintenance.RestoreReport;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of the PostgreSQL store: logical exports in Loom's layout, taken from one snapshot under
 * the advisory maintenance lock, so that prune can take its pre-prune backup and a fleet's memory can
 * be restored into a tree (a laptop) or in place (every host sees it).
 */
@ExtendWith(RequiresPostgres.class)
class BackupsOnPostgresTest {

    private static final Clock CLOCK = Clock.fixed(TestItems.NOW, ZoneOffset.UTC);
    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    @TempDir
    Path dir;

    private String schema = "";
    private JdbcMemoryStore postgres;

    @BeforeEach
    void load() {
        schema = PostgresServer.freshSchema();
        postgres = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
        List<MemoryItem> patterns = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // every third pattern is old and unused: time-based pruning removes it
            patterns.add(TestItems.pattern("p" + i, "coder", 0.8, 5, 0.7,
                    TestItems.NOW.minus(Duration.ofDays(i % 3 == 0 ? 150 : 3))));
        }
        postgres.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, patterns),
                Change.upsert(CODER, TestItems.solution("s1", "coder", true)),
                Change.upsert(CODER, TestItems.decision("d1", "coder", Boolean.TRUE)),
                Change.upsert(TESTER, TestItems.pattern("t1", "tester"))));
    }

    @AfterEach
    void drop() {
        postgres.close();
        PostgresServer.drop(schema);
    }

    private MemoryManager manager(MemoryStore store) {
        return MemoryManager.builder().store(store).clock(CLOCK)
                .backupConfig(BackupConfig.builder().backupRoot(dir.resolve("backups")).build()).build();
    }

    private static Map<String, List<MemoryItem>> tree(Path root) {
        try (FileMemoryStore opened = FileMemoryStore.builder(root).readOnly(true).open()) {
            return StoreContents.of(opened);
        }
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void pruneExecuteTakesAPrePruneBackupThatRestoresIntoATreeOfTheItemsBeforePrune() throws IOException {
        Map<String, List<MemoryItem>> before = StoreContents.of(postgres);
        postgres.exportTo(dir.resolve("export-before"));
        try (MemoryManager aml = manager(postgres)) {
            PruneReport r = aml.prune(PruneConfig.defaults().toBuilder().strategies(PruneStrategy.timeBased())
                    .build()).execute();

            assertThat(r.itemsRemoved()).isEqualTo(20);
            assertThat(r.backupId()).isNotNull();
            assertThat(StoreContents.of(postgres).get("coder/patterns.json")).hasSize(40);
            BackupInfo backup = aml.backups().find(r.backupId()).orElseThrow();
            assertThat(backup.description()).startsWith("Pre-prune backup");
            assertThat(backup.verified()).isTrue();
            assertThat(aml.backups().verify(backup.id(), true).problems()).isEmpty();

            RestoreReport restored = aml.backups().restore(backup.id(), dir.resolve("laptop"));

            assertThat(restored.inPlace()).isFalse();
            assertThat(tree(dir.resolve("laptop"))).isEqualTo(before);
            // the backup holds exactly the bytes exportTo writes for the same state
            assertThat(files(dir.resolve("laptop"))).containsExactlyInAnyOrderEntriesOf(
                    files(dir.resolve("export-before")));
        }
    }

    @Test
    void incrementalsStoreOnlyChangedFilesAndAnInPlaceRestoreReachesEveryHost() {
        try (MemoryManager aml = manager(postgres);
                JdbcMemoryStore otherHost = JdbcMemoryStore.builder().dataSource(PostgresServer.pool())
                        .schema(schema).build()) {
            Backups backups = aml.backups();
            Map<String, List<MemoryItem>> before = StoreContents.of(postgres);
            BackupInfo full = backups.createFull("nightly");

            otherHost.apply(List.of(Change.upsert(TESTER, TestItems.pattern("t2", "tester")),
                    Change.upsert(AgentId.of("newcomer"), TestItems.pattern("n1", "newcomer"))));
            Map<String, List<MemoryItem>> later = StoreContents.of(postgres);
            BackupInfo incr = backups.createIncremental("");

            assertThat(incr.type()).isEqualTo(BackupType.INCREMENTAL);
            assertThat(incr.fileCount()).isEqualTo(2); // tester's and newcomer's patterns, not coder's files
            assertThat(backups.verify(incr.id(), true).problems()).isEmpty();

            RestoreReport r = backups.restoreInPlace(full.id());

            assertThat(r.inPlace()).isTrue();
            assertThat(StoreContents.of(otherHost)).isEqualTo(StoreContents.of(postgres)).isEqualTo(before);
            assertThat(otherHost.items(AgentId.of("newcomer"), ItemKind.PATTERN)).isEmpty();
            // the safety backup taken first is the state the restore replaced
            backups.restore(r.safetyBackupId(), dir.resolve("undo"));
            assertThat(tree(dir.resolve("undo"))).isEqualTo(later);
        }
    }

    @Test
    void aRowThatCannotBeDecodedStopsTheBackupAndThePruneInsteadOfBeingBackedUpAsEmpty() throws IOException {
        PostgresServer.execute("UPDATE \"" + schema + "\".items SET doc = '{\"id\":\"t1\",\"metrics\":\"oops\"}'"
                + " WHERE agent = 'tester'");
        try (MemoryManager aml = manager(postgres)) {
            assertThatThrownBy(() -> aml.backups().createFull("")).isInstanceOf(BackupException.class)
                    .hasMessageContaining("tester").hasMessageContaining("t1")
                    .hasMessageContaining("never records unreadable data as empty")
                    .hasMessageContaining("nothing was backed up");
            assertThat(aml.backups().list()).isEmpty();
            long patterns = postgres.items(CODER, ItemKind.PATTERN).size();

            assertThatThrownBy(() -> aml.prune(PruneConfig.defaults().toBuilder()
                    .strategies(PruneStrategy.timeBased()).agents(List.of(CODER)).build()).execute())
                    .isInstanceOf(BackupException.class).hasMessageContaining("tester");
            assertThat(postgres.items(CODER, ItemKind.PATTERN)).hasSize((int) patterns);
        }
        try (Stream<Path> s = Files.list(dir.resolve("backups"))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("full_"))).isEmpty();
        }
    }

    @Test
    void aBackupWaitsForNoHostButRefusesWhileAnotherHostRunsMaintenance() {
        try (MemoryManager aml = manager(postgres);
                JdbcMemoryStore otherHost = JdbcMemoryStore.builder().dataSource(PostgresServer.pool())
                        .schema(schema).build()) {
            MaintenanceLock held = otherHost.lockMaintenance("prune");
            try {
                assertThatThrownBy(() -> aml.backups().createFull("")).isInstanceOf(ConcurrentOperationException.class)
                        .hasMessageContaining("prune");
                assertThat(aml.backups().list()).isEmpty();
            } finally {
                held.close();
            }
            assertThat(aml.backups().createFull("after the other host").complete()).isTrue();
        }
    }
}
