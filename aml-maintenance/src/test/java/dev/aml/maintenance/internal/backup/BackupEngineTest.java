package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.BackupException;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.RestoreReport;
import dev.aml.maintenance.RotationReport;
import dev.aml.maintenance.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupEngineTest {

    @TempDir
    Path tmp;

    Path root;
    MutableClock clock;
    MemoryStore store;
    BackupEngine backups;

    @BeforeEach
    void setUp() {
        root = Trees.sample(tmp.resolve("memory"));
        clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        store = MemoryStore.inMemory();
        backups = engine(BackupConfig.defaults());
    }

    BackupEngine engine(BackupConfig config) {
        return new BackupEngine(store, root, config, clock, ProgressListener.none());
    }

    @Test
    void fullBackupUsesLoomLayoutAndRegistryFields() throws IOException {
        BackupInfo info = backups.createFull("Pre-prune backup");

        assertThat(info.id()).isEqualTo("full_20260601_120000");
        assertThat(info.type()).isEqualTo(BackupType.FULL);
        assertThat(info.complete()).isTrue();
        assertThat(info.verified()).isTrue();
        assertThat(info.agents()).containsExactly("coder", "reviewer");
        Path dir = tmp.resolve("memory-backup").resolve(info.id());
        assertThat(dir).isEqualTo(info.path());
        byte[] gz = Files.readAllBytes(dir.resolve("coder/patterns.json.gz"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(root.resolve("coder/patterns.json")));
        }
        assertThat(dir.resolve("global/index.json.gz")).exists();
        assertThat(dir.resolve("config/schema_version.json.gz")).exists();
        assertThat(dir.resolve("monitoring")).doesNotExist();

        JsonNode registry = Json.MAPPER.readTree(tmp.resolve("memory-backup/backup_metadata.json").toFile());
        assertThat(registry.path("version").asText()).isEqualTo("1.0.0");
        JsonNode entry = registry.path("backups").get(0);
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("backup_id", "backup_type", "timestamp", "source_path", "backup_path",
                "agents", "total_size_bytes", "file_count", "checksums", "parent_backup_id", "compressed",
                "encrypted");
        assertThat(entry.path("timestamp").asText()).isEqualTo("2026-06-01T12:00:00");
        assertThat(entry.path("backup_type").asText()).isEqualTo("full");
        assertThat(entry.path("checksums").path("coder/patterns.json").asText())
                .isEqualTo(Hashing.sha256Hex(Files.readAllBytes(root.resolve("coder/patterns.json"))));
        assertThat(entry.path("file_count").asInt()).isEqualTo(6);
        assertThat(registry.path("aml").path(info.id()).path("description").asText()).isEqualTo("Pre-prune backup");
        assertThat(backups.list()).extracting(BackupInfo::description).containsExactly("Pre-prune backup");
    }

    @Test
    void backupsInTheSameSecondGetDistinctSortableIds() {
        BackupInfo a = backups.createFull("a");
        BackupInfo b = backups.createFull("b");
        clock.advance(Duration.ofMillis(10));
        BackupInfo c = backups.createFull("c");

        assertThat(a.id()).isEqualTo("full_20260601_120000");
        assertThat(b.id()).isEqualTo("full_20260601_120000_02");
        assertThat(c.id()).isEqualTo("full_20260601_120000_03");
        assertThat(backups.list()).extracting(BackupInfo::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(List.of(a.id(), b.id(), c.id())).isSorted();
    }

    @Test
    void incrementalStoresOnlyChangedFilesAndRecordsDeletions() throws IOException {
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofHours(1));
        Trees.writeItems(root, "coder", ItemKind.SOLUTION, List.of(TestItems.solution("s2", "coder", false)));
        Files.delete(root.resolve("coder/decisions.json"));
        Trees.writeItems(root, "newbie", ItemKind.PATTERN, List.of(TestItems.pattern("n1", "newbie")));
        Trees.write(root.resolve("global/index.json"), "{\"entries\":[1],\"version\":\"1.0.0\"}");

        BackupInfo incr = backups.createIncremental("");

        assertThat(incr.type()).isEqualTo(BackupType.INCREMENTAL);
        assertThat(incr.id()).isEqualTo("incr_20260601_130000");
        assertThat(incr.parentId()).isEqualTo(full.id());
        assertThat(incr.verified()).isTrue();
        assertThat(incr.fileCount()).isEqualTo(3);
        assertThat(Trees.snapshot(incr.path()).keySet()).containsExactlyInAnyOrder("coder/solutions.json.gz",
                "newbie/patterns.json.gz", "global/index.json.gz", Manifest.FILE_NAME);
        Manifest m = Manifest.parse(Files.readAllBytes(incr.path().resolve(Manifest.FILE_NAME)));
        assertThat(m.deleted()).containsExactly("coder/decisions.json");
        assertThat(m.files().get("coder/patterns.json").storedIn()).isEqualTo(full.id());
        assertThat(incr.agents()).contains("newbie");
    }

    @Test
    void restoreEachPointGivesTheExactTreeOfThatPoint() {
        var atFull = Trees.backedUp(root);
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofMinutes(5));
        Trees.writeItems(root, "coder", ItemKind.PATTERN, List.of(TestItems.pattern("x", "coder")));
        var atIncr1 = Trees.backedUp(root);
        BackupInfo incr1 = backups.createIncremental("");
        clock.advance(Duration.ofMinutes(5));
        try {
            Files.delete(root.resolve("reviewer/patterns.json"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        var atIncr2 = Trees.backedUp(root);
        BackupInfo incr2 = backups.createIncremental("");
        assertThat(incr2.parentId()).isEqualTo(incr1.id());

        RestoreReport r = backups.restore(incr2.id(), tmp.resolve("r2"));
        assertThat(r.chain()).containsExactly(full.id(), incr1.id(), incr2.id());
        assertThat(r.inPlace()).isFalse();
        assertThat(Trees.snapshot(tmp.resolve("r2"))).isEqualTo(atIncr2);
        backups.restore(incr1.id(), tmp.resolve("r1"));
        assertThat(Trees.snapshot(tmp.resolve("r1"))).isEqualTo(atIncr1);
        backups.restore(full.id(), tmp.resolve("r0"));
        assertThat(Trees.snapshot(tmp.resolve("r0"))).isEqualTo(atFull);
        assertThat(r.filesRestored()).isEqualTo(atIncr2.size());
    }

    @Test
    void restoreAtPicksTheNewestBackupAtOrBeforeTheInstant() {
        BackupInfo first = backups.createFull("");
        clock.advance(Duration.ofHours(2));
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");
        BackupInfo second = backups.createIncremental("");

        assertThat(backups.restoreAt(first.timestamp().plusSeconds(3600), tmp.resolve("a")).backupId())
                .isEqualTo(first.id());
        assertThat(backups.restoreAt(second.timestamp(), tmp.resolve("b")).backupId()).isEqualTo(second.id());
        assertThatThrownBy(() -> backups.restoreAt(first.timestamp().minusSeconds(1), tmp.resolve("c")))
                .isInstanceOf(BackupException.class).hasMessageContaining("No backup was taken at or before")
                .hasMessageContaining(first.id());
    }

    @Test
    void restoreRefusesNonEmptyTargetsAndInPlaceWithoutFileStore() throws IOException {
        BackupInfo full = backups.createFull("");
        Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(tmp.resolve("busy/keep.txt"), "mine");

        assertThatThrownBy(() -> backups.restore(full.id(), tmp.resolve("busy")))
                .isInstanceOf(BackupException.class).hasMessageContaining("not an empty folder");
        assertThat(tmp.resolve("busy/keep.txt")).hasContent("mine");
        var before = Trees.snapshot(root);
        assertThatThrownBy(() -> backups.restore(full.id(), root))
                .isInstanceOf(BackupException.class).hasMessageContaining("--target");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
        assertThatThrownBy(() -> backups.restore("full_20990101_000000", tmp.resolve("x")))
                .isInstanceOf(BackupException.class).hasMessageContaining("Backup not found: full_20990101_000000");
    }

    @Test
    void damagedRegistryGivesClearErrorAndReindexRebuildsIt() throws IOException {
        BackupInfo full = backups.createFull("keep me");
        clock.advance(Duration.ofMinutes(1));
        BackupInfo incr = backups.createIncremental("");
        Path registry = tmp.resolve("memory-backup/backup_metadata.json");
        String good = Files.readString(registry);
        Files.writeString(registry, good.substring(0, good.length() / 2));

        assertThatThrownBy(() -> backups.list()).isInstanceOf(BackupException.class)
                .hasMessageContaining("backup_metadata.json").hasMessageContaining("not valid JSON")
                .hasMessageContaining("backup reindex");
        assertThatThrownBy(() -> backups.createFull("")).isInstanceOf(BackupException.class);
        assertThat(Files.readString(registry)).isEqualTo(good.substring(0, good.length() / 2));
        // restore still works from the manifests
        backups.restore(incr.id(), tmp.resolve("r"));

        List<BackupInfo> rebuilt = backups.reindex();
        assertThat(rebuilt).extracting(BackupInfo::id).containsExactly(incr.id(), full.id());
        assertThat(rebuilt.get(1).description()).isEqualTo("keep me");
        assertThat(Files.readString(registry)).isEqualTo(good);
        try (var s = Files.list(tmp.resolve("memory-backup"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(
                    "backup_metadata.json.damaged-"));
        }
    }

    @Test
    void interruptedBackupIsListedIncompleteAndIgnored() throws IOException {
        BackupInfo full = backups.createFull("");
        Path broken = tmp.resolve("memory-backup/full_20260601_110000");
        Files.createDirectories(broken.resolve("coder"));
        Files.write(broken.resolve("coder/patterns.json.gz"), new byte[] {0x1f, (byte) 0x8b});

        List<BackupInfo> list = backups.list();
        assertThat(list).extracting(BackupInfo::id).containsExactly(full.id(), "full_20260601_110000");
        assertThat(list.get(1).complete()).isFalse();
        assertThat(list.get(1).description()).startsWith("INCOMPLETE");
        assertThatThrownBy(() -> backups.restore("full_20260601_110000", tmp.resolve("r")))
                .isInstanceOf(BackupException.class).hasMessageContaining("interrupted");
        assertThat(backups.verify("full_20260601_110000", false).ok()).isFalse();
        clock.advance(Duration.ofDays(365));
        RotationReport rot = backups.rotate(false);
        assertThat(rot.incomplete()).containsExactly("full_20260601_110000");
        assertThat(broken).exists();
        // an incremental never builds on an incomplete backup
        BackupInfo incr = backups.createIncremental("");
        assertThat(incr.parentId()).isEqualTo(full.id());
        backups.delete("full_20260601_110000");
        assertThat(broken).doesNotExist();
    }

    @Test
    void deleteRefusesABackupOthersDependOn() {
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        BackupInfo incr = backups.createIncremental("");

        assertThatThrownBy(() -> backups.delete(full.id())).isInstanceOf(BackupException.class)
                .hasMessageContaining(incr.id()).hasMessageContaining("depends on it");
        backups.delete(incr.id());
        backups.delete(full.id());
        assertThat(backups.list()).isEmpty();
    }

    @Test
    void rotationKeepsWhatKeptIncrementalsNeed() {
        BackupInfo oldFull = backups.createFull("");
        clock.advance(Duration.ofDays(20));
        Trees.write(root.resolve("config/x.json"), "1");
        BackupInfo incr1 = backups.createIncremental("");
        clock.advance(Duration.ofDays(20));
        Trees.write(root.resolve("config/x.json"), "2");
        BackupInfo incr2 = backups.createIncremental("");
        clock.advance(Duration.ofDays(1));

        RotationReport plan = backups.rotate(true);
        assertThat(plan.deleted()).isEmpty();
        assertThat(plan.kept()).containsExactly(oldFull.id(), incr1.id(), incr2.id());
        assertThat(plan.keptBecause()).containsKey(oldFull.id());

        clock.advance(Duration.ofDays(60));
        BackupInfo newFull = backups.createFull("");
        RotationReport done = backups.rotate(false);
        assertThat(done.deleted()).containsExactly(oldFull.id(), incr1.id(), incr2.id());
        assertThat(backups.list()).extracting(BackupInfo::id).containsExactly(newFull.id());
    }

    @Test
    void rotationEnforcesMaxBackupsByCount() {
        backups = engine(BackupConfig.defaults().toBuilder().maxBackups(2).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(backups.createFull("").id());
            clock.advance(Duration.ofMinutes(1));
        }
        RotationReport r = backups.rotate(false);
        assertThat(r.deleted()).containsExactly(ids.get(0), ids.get(1));
        assertThat(backups.list()).extracting(BackupInfo::id).containsExactly(ids.get(3), ids.get(2));
    }

    @Test
    void autoChoosesFullOrIncremental() {
        backups = engine(BackupConfig.defaults().toBuilder().maxChainLength(2).build());
        assertThat(backups.auto().backup().type()).isEqualTo(BackupType.FULL);
        clock.advance(Duration.ofHours(1));
        var second = backups.auto();
        assertThat(second.backup().type()).isEqualTo(BackupType.INCREMENTAL);
        clock.advance(Duration.ofHours(1));
        assertThat(backups.auto().backup().type()).isEqualTo(BackupType.INCREMENTAL);
        clock.advance(Duration.ofHours(1));
        var fourth = backups.auto();
        assertThat(fourth.backup().type()).isEqualTo(BackupType.FULL);
        assertThat(fourth.reason()).contains("limit 2");
        clock.advance(Duration.ofDays(8));
        var fifth = backups.auto();
        assertThat(fifth.backup().type()).isEqualTo(BackupType.FULL);
        assertThat(fifth.reason()).contains("older than 7 days");
        assertThat(fifth.backup().description()).isEqualTo("Automatic backup");
    }

    @Test
    void operationsHoldTheMaintenanceLock() {
        try (MaintenanceLock held = store.lockMaintenance("prune")) {
            assertThatThrownBy(() -> backups.createFull("")).isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("prune");
            BackupInfo info = backups.createFull("Pre-prune backup", held);
            assertThat(info.complete()).isTrue();
        }
    }

    @Test
    void verifyReportsTheChainAndDrillParsesEveryItem() {
        backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Trees.writeItems(root, "coder", ItemKind.PATTERN, List.of(TestItems.pattern("x", "coder")));
        BackupInfo incr = backups.createIncremental("");

        VerifyReport r = backups.verify(incr.id(), true);
        assertThat(r.ok()).as(r.problems().toString()).isTrue();
        assertThat(r.chain()).hasSize(2).endsWith(incr.id());
        assertThat(r.filesChecked()).isEqualTo(6);
        assertThat(r.itemsChecked()).isEqualTo(1 + 1 + 1 + 1);
    }

    @Test
    void verifyFindsAMissingParentAndUnreadablePayload() throws IOException {
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Trees.write(root.resolve("config/x.json"), "1");
        BackupInfo incr = backups.createIncremental("");
        Files.delete(full.path().resolve("coder/patterns.json.gz"));

        VerifyReport r = backups.verify(incr.id(), false);
        assertThat(r.ok()).isFalse();
        assertThat(String.join("\n", r.problems())).contains("coder/patterns.json").contains("cannot read");
    }

    @Test
    void lz4AndNoneCodecsRoundTrip() {
        for (String codec : List.of("lz4", "none")) {
            backups = engine(BackupConfig.defaults().toBuilder().codec(codec)
                    .backupRoot(tmp.resolve("b-" + codec)).build());
            BackupInfo info = backups.createFull("");
            assertThat(info.codec()).isEqualTo(codec);
            backups.restore(info.id(), tmp.resolve("r-" + codec));
            assertThat(Trees.snapshot(tmp.resolve("r-" + codec))).isEqualTo(Trees.backedUp(root));
        }
    }

    @Test
    void backupsMadeByLoomsToolAreListedVerifiedAndRestored() throws IOException {
        Path b = tmp.resolve("memory-backup");
        byte[] patterns = Files.readAllBytes(root.resolve("coder/patterns.json"));
        Path folder = b.resolve("full_20260101_100000");
        Files.createDirectories(folder.resolve("coder"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(folder.resolve(
                "coder/patterns.json.gz")))) {
            out.write(patterns);
        }
        Files.writeString(b.resolve("backup_metadata.json"), "{\"version\": \"1.0.0\", \"backups\": [{"
                + "\"backup_id\": \"full_20260101_100000\", \"backup_type\": \"full\","
                + " \"timestamp\": \"2026-01-01T10:00:00\", \"source_path\": \"x\", \"backup_path\": \"y\","
                + " \"agents\": [\"coder\"], \"total_size_bytes\": 1, \"file_count\": 1, \"checksums\":"
                + " {\"coder/patterns.json\": \"" + Hashing.sha256Hex(patterns) + "\"}, \"parent_backup_id\": null,"
                + " \"compressed\": true, \"encrypted\": false}]}");

        BackupInfo loom = backups.list().get(0);
        assertThat(loom.id()).isEqualTo("full_20260101_100000");
        assertThat(loom.complete()).isTrue();
        assertThat(backups.verify(loom.id(), true).ok()).isTrue();
        backups.restore(loom.id(), tmp.resolve("r"));
        assertThat(tmp.resolve("r/coder/patterns.json")).hasBinaryContent(patterns);
        // a new AML backup keeps Loom's entry verbatim in the registry
        backups.createFull("");
        JsonNode registry = Json.MAPPER.readTree(b.resolve("backup_metadata.json").toFile());
        assertThat(registry.path("backups")).hasSize(2);
        assertThat(registry.path("backups").get(0).path("source_path").asText()).isEqualTo("x");
    }

    @Test
    void trustFileTimesSkipsUntouchedFilesOnlyWhenAskedTo() throws IOException {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                Instant.parse("2026-01-01T00:00:00Z"));
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
        BackupEngine trusting = engine(BackupConfig.defaults().toBuilder().trustFileTimes(true).build());
        trusting.createFull("");
        clock.advance(Duration.ofMinutes(1));
        // same size, time put back: only a full read notices
        Path sneaky = root.resolve("global/index.json");
        String text = Files.readString(sneaky);
        Files.writeString(sneaky, text.replace("1.0.0", "9.9.9"));
        Files.setLastModifiedTime(sneaky, old);
        // an ordinary edit gets a new time and is always noticed
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");

        BackupInfo fast = trusting.createIncremental("");
        Manifest m = Manifest.parse(Files.readAllBytes(fast.path().resolve(Manifest.FILE_NAME)));
        assertThat(m.ownFiles().keySet()).containsExactly("config/schema_version.json");

        clock.advance(Duration.ofMinutes(1));
        BackupInfo exact = backups.createIncremental("");
        Manifest e = Manifest.parse(Files.readAllBytes(exact.path().resolve(Manifest.FILE_NAME)));
        assertThat(e.ownFiles().keySet()).containsExactly("global/index.json");
        assertThat(BackupConfig.defaults().trustFileTimes()).isFalse();
    }

    @Test
    void manifestChecksumDetectsEdits() throws IOException {
        BackupInfo full = backups.createFull("");
        Path mf = full.path().resolve(Manifest.FILE_NAME);
        String text = Files.readString(mf, StandardCharsets.UTF_8);
        Files.writeString(mf, text.replace("\"description\":\"\"", "\"description\":\"x\""));
        assertThat(backups.list().get(0).complete()).isFalse();
        assertThat(backups.list().get(0).description()).contains("checksum");
    }
}
