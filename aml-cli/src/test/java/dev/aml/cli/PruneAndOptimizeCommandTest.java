package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MemoryManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneAndOptimizeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path root;

    private static Pattern pattern(String id, double success, long runs, long daysAgo) {
        Instant at = Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return new Pattern(id, "coder", at, RawJson.of(Map.of("type", "t-" + id)),
                new PatternMetrics(success, runs, 0, 0, RawJson.emptyObject()),
                new Evolution(at, at, 0, 0.6, RawJson.emptyObject()), List.of(), true, RawJson.emptyObject());
    }

    @BeforeEach
    void tree() throws Exception {
        root = dir.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        List<MemoryItem> patterns = List.of(pattern("keep", 0.9, 5, 2), pattern("old", 0.9, 5, 120),
                pattern("failing", 0.05, 9, 5), pattern("keep-2", 0.9, 5, 3));
        Files.write(root.resolve("coder/patterns.json"), LoomJson.defaults().write(patterns));
        Instant long_ago = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<MemoryItem> decisions = List.of(new Decision("d-old", "coder", long_ago,
                RawJson.of(Map.of("question", "q")), DecisionOutcome.of(true), List.of(), true, null,
                RawJson.emptyObject()));
        Files.write(root.resolve("coder/decisions.json"), LoomJson.defaults().write(decisions));
    }

    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void dryRunJsonListsTheCandidatesAndLeavesEveryByte() throws Exception {
        Map<String, String> before = hashes(dir);
        CliRun r = CliRun.of(root.toString(), "prune", "--dry-run", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("dry_run").asBoolean()).isTrue();
        assertThat(doc.get("strategies")).hasSize(2);
        assertThat(doc.get("items_removed").asInt()).isEqualTo(3);
        assertThat(doc.get("items_archived").asInt()).isEqualTo(1);
        assertThat(doc.get("backup_id").isNull()).isTrue();
        assertThat(doc.get("items").findValuesAsText("id")).containsExactly("old", "failing", "d-old");
        assertThat(doc.get("by_reason").get("unused_too_long").asInt()).isEqualTo(2);
        assertThat(hashes(dir)).isEqualTo(before);
    }

    @Test
    void barePruneBacksUpArchivesAndRemoves() throws Exception {
        CliRun r = CliRun.of(root.toString(), "prune");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Removed 3 item(s): 2 pruned, 1 archived", "unused_too_long",
                "low_success_rate", "Backup: full_", "backup restore --backup-id full_");
        try (MemoryManager aml = MemoryManager.open(root)) {
            assertThat(aml.store().items(dev.aml.core.AgentId.of("coder"), ItemKind.PATTERN))
                    .extracting(MemoryItem::id).containsExactly("keep", "keep-2");
            List<BackupInfo> backups = aml.backups().list();
            assertThat(backups).singleElement().satisfies(b ->
                    assertThat(b.description()).startsWith("Pre-prune backup"));
        }
        try (Stream<Path> archives = Files.list(dir.resolve("memory-backup/archives/coder"))) {
            assertThat(archives.map(p -> p.getFileName().toString()).toList())
                    .singleElement().asString().startsWith("decisions_").endsWith(".json.gz");
        }
    }

    @Test
    void optionsFilterAndTurnOffTheBackup() throws Exception {
        CliRun r = CliRun.of(root.toString(), "prune", "--strategies", "performance_based", "--agent", "coder",
                "--no-backup", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("items").findValuesAsText("id")).containsExactly("failing");
        assertThat(doc.get("backup_id").isNull()).isTrue();
        assertThat(doc.get("warnings").get(0).asText()).contains("No pre-prune backup");
    }

    @Test
    void aggressiveLowersThePatternAgeTo60Days() throws Exception {
        Files.createDirectories(root.resolve("tester"));
        Pattern seventy = pattern("seventy", 0.9, 5, 70);
        Pattern p = new Pattern(seventy.id(), "tester", seventy.timestamp(), seventy.pattern(), seventy.metrics(),
                seventy.evolution(), seventy.tags(), true, seventy.extra());
        Files.write(root.resolve("tester/patterns.json"), LoomJson.defaults().write(List.of(p)));
        JsonNode normal = JSON.readTree(CliRun.of(root.toString(), "prune", "--agent", "tester", "--dry-run",
                "--json").out());
        assertThat(normal.get("items_removed").asInt()).isZero();
        CliRun r = CliRun.of(root.toString(), "prune", "--agent", "tester", "--aggressive", "--dry-run", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("items").findValuesAsText("id")).containsExactly("seventy");
    }

    @Test
    void badInputIsAUsageErrorOnOneLine() {
        CliRun r = CliRun.of(root.toString(), "prune", "--strategies", "manual");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("aml: Unknown prune strategy 'manual'");
        assertThat(r.err().lines().count()).isEqualTo(1);
        CliRun bad = CliRun.of(root.toString(), "prune", "--agent", "../etc");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("Invalid agent name");
    }

    @Test
    void anUnreadableAgentIsReportedWithExit65AndLeftAlone() throws Exception {
        Files.createDirectories(root.resolve("broken"));
        Files.writeString(root.resolve("broken/patterns.json"), "[{\"id\": \"x\", ");
        CliRun r = CliRun.of(root.toString(), "prune", "--json");
        assertThat(r.code()).isEqualTo(ExitCodes.DATA);
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("errors").get(0).asText()).contains("'broken'");
        assertThat(doc.get("items_removed").asInt()).isEqualTo(3);
        assertThat(Files.readString(root.resolve("broken/patterns.json"))).isEqualTo("[{\"id\": \"x\", ");
    }

    @Test
    void optimizeOperationsReportAndHonourDryRun() throws Exception {
        Map<String, String> before = hashes(dir);
        CliRun dry = CliRun.of(root.toString(), "optimize", "compress", "--age-days", "0", "--dry-run", "--json");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(JSON.readTree(dry.out()).get("counts").get("files_compressed").asInt()).isEqualTo(2);
        assertThat(hashes(dir)).isEqualTo(before);

        CliRun gc = CliRun.of(root.toString(), "optimize", "gc");
        assertThat(gc.code()).as(gc.err()).isZero();
        assertThat(gc.out()).contains("Garbage collection", "duplicate ids: 0");

        CliRun all = CliRun.of(root.toString(), "optimize", "all", "--json");
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode doc = JSON.readTree(all.out());
        assertThat(doc.get("steps").findValuesAsText("operation"))
                .containsExactly("gc", "compress", "index", "warm-cache");
        assertThat(root.resolve("global/index.json")).exists();

        CliRun compress = CliRun.of(root.toString(), "optimize", "compress", "--age-days", "0");
        assertThat(compress.code()).as(compress.err()).isZero();
        assertThat(compress.out()).contains("files compressed: 2");
        try (MemoryManager aml = MemoryManager.open(root)) {
            assertThat(aml.store().items(dev.aml.core.AgentId.of("coder"), ItemKind.PATTERN)).hasSize(4);
        }
    }
}
