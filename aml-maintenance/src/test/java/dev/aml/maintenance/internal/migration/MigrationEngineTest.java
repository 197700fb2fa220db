package dev.aml.maintenance.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.MigrationException;
import dev.aml.core.Pattern;
import dev.aml.core.internal.Json;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MigrationReport;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.SchemaDetection;
import dev.aml.maintenance.SchemaVersion;
import dev.aml.maintenance.internal.backup.AtomicFiles;
import dev.aml.maintenance.internal.backup.BackupEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationEngineTest {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    MemoryStore store = MemoryStore.inMemory();

    // ---------------------------------------------------------------- fixtures

    /** A pattern in the shape of {@code version}. */
    static ObjectNode pattern(String id, SchemaVersion version) {
        ObjectNode p = F.objectNode();
        p.put("id", id);
        p.put("agent", "coder");
        p.put("timestamp", "2026-05-01T10:00:00Z");
        p.putObject("pattern").put("type", "retry").put("approach", "backoff " + id);
        p.putObject("metrics").put("successRate", 0.75).put("executionCount", 8).put("avgTimeSavedMs", 120)
                .put("errorPreventionCount", 2).put("customMetric", "kept");
        p.putObject("evolution").put("created", "2026-05-01T10:00:00+02:00").put("lastUsed", "2026-05-20T09:00:00")
                .put("refinements", 3).put("confidenceScore", 0.9);
        p.put("customField", "survives every step");
        if (version.compareTo(SchemaVersion.V1_1_0) >= 0) {
            p.putArray("tags").add("http");
            p.put("active", true);
        }
        if (version.compareTo(SchemaVersion.V1_2_0) >= 0) {
            p.putObject("metadata").put("created_by", "fixture").put("version", "1.2.0");
            p.putArray("variations").add("v1");
        }
        return p;
    }

    static ObjectNode solution(String id, SchemaVersion version) {
        ObjectNode s = F.objectNode();
        s.put("id", id);
        s.put("agent", "coder");
        s.put("timestamp", "2026-05-02T10:00:00.123Z");
        s.putObject("problem").put("error", "timeout");
        s.putObject("effectiveness").put("worked", true);
        if (version.compareTo(SchemaVersion.V1_1_0) >= 0) {
            s.putArray("tags");
        }
        if (version.compareTo(SchemaVersion.V1_2_0) >= 0) {
            s.putObject("metadata").put("version", "1.2.0");
        }
        return s;
    }

    static void writeArray(Path file, ObjectNode... items) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode i : items) {
            a.add(i);
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(a));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Path fixture(SchemaVersion version) {
        Path root = tmp.resolve("memory");
        writeArray(root.resolve("coder/patterns.json"), pattern("p1", version), pattern("p2", version));
        writeArray(root.resolve("coder/solutions.json"), solution("s1", version));
        writeArray(root.resolve("coder/decisions.json"));
        writeArray(root.resolve("reviewer/patterns.json"), pattern("r1", version));
        return root;
    }

    MigrationEngine engine(Path root, MigrationEngine.FileWriter writer) {
        BackupEngine backups = new BackupEngine(store, root, BackupConfig.defaults(), CLOCK, ProgressListener.none());
        return new MigrationEngine(store, root, backups, CLOCK, writer);
    }

    MigrationEngine engine(Path root) {
        return engine(root, AtomicFiles::write);
    }

    static SortedMap<String, String> snapshot(Path root) {
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    static JsonNode json(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return Json.MAPPER.readTree(CompressionCodec.detect(b).decompress(b));
    }

    // ---------------------------------------------------------------- detect

    @ParameterizedTest
    @EnumSource(SchemaVersion.class)
    void detectsEachVersionFromTheData(SchemaVersion version) {
        Path root = fixture(version);
        if (version == SchemaVersion.V2_0_0) {
            engine(root).migrate(SchemaVersion.V2_0_0);
            try {
                Files.delete(root.resolve("config/schema_version.json"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        SchemaDetection d = engine(root).detect();
        assertThat(d.version()).isEqualTo(version);
        assertThat(d.source()).isEqualTo("data");
        assertThat(d.itemsByVersion()).containsEntry(version, 3L);
    }

    @Test
    void detectionLooksAtEveryPatternNotJustTheFirst() {
        Path root = tmp.resolve("memory");
        writeArray(root.resolve("a/patterns.json"), pattern("a1", SchemaVersion.V1_2_0));
        writeArray(root.resolve("b/patterns.json"), pattern("b1", SchemaVersion.V1_2_0),
                pattern("b2", SchemaVersion.V1_0_0));
        SchemaDetection d = engine(root).detect();
        assertThat(d.version()).isEqualTo(SchemaVersion.V1_0_0);
        assertThat(d.notes()).anyMatch(n -> n.contains("mixes"));
    }

    @Test
    void detectionPrefersTheVersionFileAndFallsBackWhenItIsDamaged() throws IOException {
        Path root = fixture(SchemaVersion.V1_0_0);
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/schema_version.json"), "{\"version\": \"1.2.0\"}");
        assertThat(engine(root).detect().version()).isEqualTo(SchemaVersion.V1_2_0);
        assertThat(engine(root).detect().source()).isEqualTo("config/schema_version.json");
        Files.writeString(root.resolve("config/schema_version.json"), "{\"vers");
        SchemaDetection d = engine(root).detect();
        assertThat(d.version()).isEqualTo(SchemaVersion.V1_0_0);
        assertThat(d.notes()).anyMatch(n -> n.contains("cannot be read"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(engine(empty).detect().version()).isEqualTo(SchemaVersion.V1_0_0);
        assertThat(engine(empty).detect().source()).isEqualTo("default");
    }

    // ---------------------------------------------------------------- migrate

    @ParameterizedTest
    @EnumSource(value = SchemaVersion.class, names = {"V1_0_0", "V1_1_0", "V1_2_0"})
    void migratesEachSourceVersionToTwoPointZeroLosingNothing(SchemaVersion source) throws IOException {
        Path root = fixture(source);
        MigrationReport r = engine(root).migrate(SchemaVersion.V2_0_0);

        assertThat(r.from()).isEqualTo(source);
        assertThat(r.steps()).hasSize(3 - source.ordinal()).last().isEqualTo("1.2.0 -> 2.0.0");
        assertThat(r.filesUpdated()).isEqualTo(3);
        assertThat(r.itemsMigrated()).isEqualTo(4);
        assertThat(r.backupId()).startsWith("full_");
        JsonNode p = json(root.resolve("coder/patterns.json")).get(0);
        assertThat(p.path("version").asText()).isEqualTo("2.0.0");
        assertThat(p.path("performance").path("success_rate").asDouble()).isEqualTo(0.75);
        assertThat(p.path("performance").path("execution_count").asInt()).isEqualTo(8);
        assertThat(p.path("performance").path("customMetric").asText()).isEqualTo("kept");
        assertThat(p.path("lifecycle").path("confidence").asDouble()).isEqualTo(0.9);
        assertThat(p.path("lifecycle").path("refinement_count").asInt()).isEqualTo(3);
        assertThat(p.path("lifecycle").path("created_at").asText())
                .isEqualTo(source == SchemaVersion.V1_0_0 ? "2026-05-01T08:00:00Z" : "2026-05-01T10:00:00+02:00");
        assertThat(p.path("lifecycle").path("last_used_at").asText()).isEqualTo("2026-05-20T09:00:00");
        assertThat(p.path("customField").asText()).isEqualTo("survives every step");
        assertThat(p.has("metrics")).isFalse();
        assertThat(p.has("evolution")).isFalse();
        assertThat(p.path("tags").isArray()).isTrue();
        assertThat(p.has("variations")).isTrue();
        JsonNode s = json(root.resolve("coder/solutions.json")).get(0);
        assertThat(s.path("version").asText()).isEqualTo("2.0.0");
        assertThat(s.path("metadata").isObject()).isTrue();
        assertThat(s.path("problem").path("error").asText()).isEqualTo("timeout");

        JsonNode v = json(root.resolve("config/schema_version.json"));
        assertThat(v.path("version").asText()).isEqualTo("2.0.0");
        assertThat(v.path("migration_history")).hasSize(3 - source.ordinal());
        assertThat(v.path("migration_history").get(0).path("backup_id").asText()).isEqualTo(r.backupId());

        // the store's codec reads the migrated tree with the same statistics
        List<MemoryItem> items = LoomJson.defaults().read(root.resolve("coder/patterns.json"), ItemKind.PATTERN);
        assertThat(items).hasSize(2);
        assertThat(((Pattern) items.get(0)).metrics().successRate()).isEqualTo(0.75);
        assertThat(items.get(0).confidence()).isEqualTo(0.9);

        BackupEngine backups = new BackupEngine(store, root, BackupConfig.defaults(), CLOCK, ProgressListener.none());
        assertThat(backups.list()).extracting(BackupInfo::description)
                .containsExactly("Pre-migration backup (" + source + " -> 2.0.0)");
    }

    @Test
    void migrationIsIdempotentAndKeepsHistory() throws IOException {
        Path root = fixture(SchemaVersion.V1_0_0);
        engine(root).migrate(SchemaVersion.V1_1_0);
        var afterFirst = snapshot(root);
        MigrationReport again = engine(root).migrate(SchemaVersion.V1_1_0);
        assertThat(again.alreadyCurrent()).isTrue();
        assertThat(again.backupId()).isNull();
        assertThat(snapshot(root)).isEqualTo(afterFirst);

        engine(root).migrate(SchemaVersion.V2_0_0);
        JsonNode history = json(root.resolve("config/schema_version.json")).path("migration_history");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("to").asText()).isEqualTo("1.1.0");
        assertThat(history.get(2).path("to").asText()).isEqualTo("2.0.0");
        var done = snapshot(root);
        assertThat(engine(root).migrate(SchemaVersion.V2_0_0).alreadyCurrent()).isTrue();
        assertThat(snapshot(root)).isEqualTo(done);
        assertThatThrownBy(() -> engine(root).migrate(SchemaVersion.V1_2_0)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("does not downgrade");
    }

    @Test
    void dryRunChangesNothingAndPredictsTheRealRun() {
        Path root = fixture(SchemaVersion.V1_0_0);
        var before = snapshot(root);
        MigrationReport plan = engine(root).dryRun(SchemaVersion.V2_0_0);
        assertThat(plan.dryRun()).isTrue();
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(tmp.resolve("memory-backup")).doesNotExist();
        assertThat(plan.fileChanges()).contains("coder/patterns.json: 2 of 2 items change");
        MigrationReport real = engine(root).migrate(SchemaVersion.V2_0_0);
        assertThat(real.itemsMigrated()).isEqualTo(plan.itemsMigrated());
        assertThat(real.filesUpdated()).isEqualTo(plan.filesUpdated());
        assertThat(real.steps()).isEqualTo(plan.steps());
    }

    @Test
    void unparseableFileStopsBeforeAnythingIsWritten() throws IOException {
        Path root = fixture(SchemaVersion.V1_0_0);
        Files.writeString(root.resolve("reviewer/solutions.json"), "[{\"id\": \"x\",");
        var before = snapshot(root);
        assertThatThrownBy(() -> engine(root).migrate(SchemaVersion.V2_0_0)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("reviewer").hasMessageContaining("solutions.json")
                .hasMessageContaining("Nothing was migrated");
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(tmp.resolve("memory-backup")).doesNotExist();
    }

    @Test
    void itemMissingARequiredFieldStopsBeforeAnythingIsWritten() {
        Path root = fixture(SchemaVersion.V1_2_0);
        ObjectNode bad = pattern("bad", SchemaVersion.V1_2_0);
        bad.remove("pattern");
        writeArray(root.resolve("reviewer/patterns.json"), pattern("r1", SchemaVersion.V1_2_0), bad);
        var before = snapshot(root);
        assertThatThrownBy(() -> engine(root).migrate(SchemaVersion.V2_0_0)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("element 1").hasMessageContaining("'bad'").hasMessageContaining("'pattern'");
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void failureMidWayRollsBackToByteIdenticalFiles() {
        for (int failAt = 1; failAt <= 4; failAt++) {
            Path root = tmp.resolve("case" + failAt).resolve("memory");
            fixtureAt(root);
            var before = snapshot(root);
            AtomicInteger writes = new AtomicInteger();
            int n = failAt;
            MigrationEngine failing = engine(root, (file, bytes) -> {
                if (writes.incrementAndGet() == n) {
                    // a torn write: half the bytes land, then the disk fails
                    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                    throw new IOException("injected failure at write " + n);
                }
                AtomicFiles.write(file, bytes);
            });
            assertThatThrownBy(() -> failing.migrate(SchemaVersion.V2_0_0)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("injected failure at write " + failAt)
                    .hasMessageContaining("rolled back to its exact previous content");
            assertThat(snapshot(root)).as("fail at write %d", failAt).isEqualTo(before);
            assertThat(engine(root).detect().version()).isEqualTo(SchemaVersion.V1_0_0);
        }
    }

    private void fixtureAt(Path root) {
        writeArray(root.resolve("coder/patterns.json"), pattern("p1", SchemaVersion.V1_0_0));
        writeArray(root.resolve("coder/solutions.json"), solution("s1", SchemaVersion.V1_0_0));
        writeArray(root.resolve("reviewer/patterns.json"), pattern("r1", SchemaVersion.V1_0_0));
        // write 4 is config/schema_version.json, which did not exist before
    }

    @Test
    void gzipItemFilesStayGzip() throws IOException {
        Path root = fixture(SchemaVersion.V1_0_0);
        Path p = root.resolve("coder/patterns.json");
        Files.write(p, CompressionCodec.gzip().compress(Files.readAllBytes(p)));
        engine(root).migrate(SchemaVersion.V2_0_0);
        byte[] after = Files.readAllBytes(p);
        assertThat(CompressionCodec.detect(after).name()).isEqualTo("gzip");
        assertThat(json(p).get(0).path("version").asText()).isEqualTo("2.0.0");
    }
}
