package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.store.FileMemoryStore;
import dev.aml.loom.LoomJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick reference's three "Configuration Snippets", written as {@code config/aml.json}, change what
 * {@code prune --dry-run}, {@code backup create} and {@code monitor health} do exactly as the Java
 * record with the same values does, and differently from the defaults.
 */
class QuickReferenceSnippetsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String AGGRESSIVE_PRUNING = """
            {"prune": {"pattern_max_age_days": 60, "min_success_rate": 0.30, "preserve_high_value": true}}
            """;
    static final String FAST_BACKUPS = """
            {"backup": {"compression_level": 6, "incremental_enabled": true, "verify_after_backup": false}}
            """;
    static final String PERFORMANCE_MONITORING = """
            {"monitor": {"query_time_warning_ms": 50, "cache_hit_rate_warning": 0.70}}
            """;

    @TempDir
    Path dir;
    Path root;

    private static Pattern pattern(String id, double success, long runs, long daysAgo, String text) {
        Instant at = Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return new Pattern(id, "coder", at, RawJson.of(Map.of("type", "t-" + id, "notes", text)),
                new PatternMetrics(success, runs, 0, 0, RawJson.emptyObject()),
                new Evolution(at, at, 0, 0.6, RawJson.emptyObject()), List.of(), true, RawJson.emptyObject());
    }

    @BeforeEach
    void tree() throws Exception {
        root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("coder"));
        Files.createDirectories(root.resolve("config"));
        List<MemoryItem> patterns = new ArrayList<>();
        patterns.add(pattern("unused-70-days", 0.9, 5, 70, "x"));      // pruned at 60 days, kept at 90
        patterns.add(pattern("succeeds-25-percent", 0.25, 9, 5, "y")); // pruned below 0.30, kept below 0.20
        patterns.add(pattern("fine", 0.9, 5, 2, "z"));
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 300; i++) { // enough text for gzip levels 6 and 9 to differ
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                sb.append(List.of("retry", "backoff", "http", "timeout", "cache", "index", "query", "agent")
                        .get(r.nextInt(8))).append(r.nextInt(100)).append(' ');
            }
            patterns.add(pattern("bulk-" + i, 0.9, 5, 1 + r.nextInt(10), sb.toString()));
        }
        Files.write(root.resolve("coder/patterns.json"), LoomJson.defaults().write(patterns));
        Files.writeString(root.resolve("config/schema_version.json"), "{\"version\": \"1.2.0\"}");
    }

    void configFile(String json) throws Exception {
        Files.writeString(root.resolve("config/aml.json"), json);
    }

    CliRun aml(String... args) {
        return CliRun.at(root, Map.of(), args);
    }

    static Set<String> prunedByCli(CliRun r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        Set<String> out = new TreeSet<>();
        JSON.readTree(r.out()).path("items").forEach(i -> out.add(i.path("id").asText() + ":" + i.path("reason").asText()));
        return out;
    }

    Set<String> prunedByJava(PruneConfig config) {
        try (MemoryManager aml = MemoryManager.builder().store(FileMemoryStore.builder(root).readOnly(true).open())
                .build()) {
            Set<String> out = new TreeSet<>();
            for (PruneCandidate c : aml.prune(config).dryRun().candidates()) {
                out.add(c.id() + ":" + c.reason().value());
            }
            return out;
        }
    }

    @Test
    void aggressivePruningSnippetChangesPruneDryRunAsTheJavaRecordDoes() throws Exception {
        Set<String> byDefault = prunedByCli(aml("prune", "--dry-run", "--json"));
        configFile(AGGRESSIVE_PRUNING);
        Set<String> withFile = prunedByCli(aml("prune", "--dry-run", "--json"));
        PruneConfig record = PruneConfig.builder().patternMaxAgeDays(60).minSuccessRate(0.30).preserveHighValue(true)
                .build();
        assertThat(withFile).isEqualTo(prunedByJava(record));
        assertThat(byDefault).isEqualTo(prunedByJava(PruneConfig.defaults()));
        assertThat(withFile).isNotEqualTo(byDefault);
        assertThat(String.join(" ", withFile)).contains("unused-70-days").contains("succeeds-25-percent");
        assertThat(String.join(" ", byDefault)).doesNotContain("unused-70-days").doesNotContain("succeeds-25-percent");
    }

    static byte[] payload(Path backupDir) throws Exception {
        return Files.readAllBytes(backupDir.resolve("coder/patterns.json.gz"));
    }

    @Test
    void fastBackupsSnippetChangesBackupCreateAsTheJavaRecordDoes() throws Exception {
        configFile(FAST_BACKUPS);
        CliRun created = aml("backup", "create", "--json");
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode cli = JSON.readTree(created.out());

        BackupConfig record = BackupConfig.builder().compressionLevel(6).incrementalEnabled(true)
                .verifyAfterBackup(false).backupRoot(dir.resolve("java-backups")).build();
        BackupConfig defaults = BackupConfig.defaults().toBuilder().backupRoot(dir.resolve("default-backups")).build();
        BackupInfo java;
        BackupInfo byDefault;
        try (MemoryManager aml = MemoryManager.builder().store(FileMemoryStore.builder(root).readOnly(true).open())
                .build()) {
            java = aml.backups(record).createFull("");
            byDefault = aml.backups(defaults).createFull("");
        }
        assertThat(cli.path("verified").asBoolean()).isEqualTo(java.verified()).isFalse();
        assertThat(byDefault.verified()).isTrue();
        assertThat(cli.path("codec").asText()).isEqualTo(java.codec());
        assertThat(cli.path("file_count").asInt()).isEqualTo(java.fileCount());
        assertThat(cli.path("total_size_bytes").asLong()).isEqualTo(java.totalSizeBytes())
                .isNotEqualTo(byDefault.totalSizeBytes());
        Path cliDir = Path.of(cli.path("backup_path").asText());
        assertThat(payload(cliDir)).isEqualTo(payload(java.path())).isNotEqualTo(payload(byDefault.path()));
    }

    void savedQueryCounters(long hits, long misses) throws Exception {
        Files.createDirectories(root.resolve("monitoring"));
        ObjectNode o = JSON.createObjectNode();
        o.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("queries", hits + misses);
        o.put("avg_query_time_ms", 10.0);
        o.put("p95_query_time_ms", 20.0);
        o.put("cache_hits", hits);
        o.put("cache_misses", misses);
        o.put("cache_hit_rate", hits / (double) (hits + misses));
        Files.writeString(root.resolve("monitoring/performance.json"), o.toString());
    }

    static JsonNode performanceCheck(String healthJson) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(healthJson).path("check_details").path("performance_ok");
        return c;
    }

    JsonNode javaHealth(MonitorConfig config) throws Exception {
        try (MemoryManager aml = MemoryManager.builder().store(FileMemoryStore.builder(root).readOnly(true).open())
                .monitorConfig(config).build()) {
            return performanceCheck(JSON.writeValueAsString(aml.monitor().health().toLoomShape()));
        }
    }

    @Test
    void performanceMonitoringSnippetChangesMonitorHealthAsTheJavaRecordDoes() throws Exception {
        savedQueryCounters(6_500, 3_500); // hit rate 0.65: healthy at the default 0.60, a warning at 0.70
        CliRun plain = aml("monitor", "health", "--json");
        JsonNode byDefault = performanceCheck(plain.out());
        configFile(PERFORMANCE_MONITORING);
        CliRun configured = aml("monitor", "health", "--json");
        JsonNode withFile = performanceCheck(configured.out());
        JsonNode java = javaHealth(MonitorConfig.builder().queryTimeMillis(50, 100).cacheHitRate(0.70, 0.50).build());

        assertThat(withFile).isEqualTo(java);
        assertThat(byDefault).isEqualTo(javaHealth(MonitorConfig.defaults()));
        assertThat(withFile.path("status").asText()).isEqualTo("warning");
        assertThat(withFile.path("message").asText()).contains("Low cache hit rate: 65.0% (warning below 70%)");
        assertThat(byDefault.path("status").asText()).isEqualTo("healthy");
        assertThat(configured.code()).isNotEqualTo(ExitCodes.OK);
        assertThat(withFile.path("warning").asDouble()).isEqualTo(50.0);
    }

    static List<String> autoActions(CliRun r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        JSON.readTree(r.out()).path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }

    @Test
    void theAdvisorOfAutoUsesTheMonitoringSnippetToo() throws Exception {
        savedQueryCounters(6_500, 3_500);
        List<String> byDefault = autoActions(aml("auto", "--dry-run", "--json"));
        configFile(PERFORMANCE_MONITORING);
        List<String> withFile = autoActions(aml("auto", "--dry-run", "--json"));
        assertThat(byDefault).doesNotContain("warm_cache");
        assertThat(withFile).contains("warm_cache");
    }
}
