package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.maintenance.monitor.HealthReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorCommandTest {

    /** Parses stdout as exactly one JSON document: trailing text fails. */
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path dir;

    Path root;

    @BeforeEach
    void tree() throws IOException {
        root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        write("coder/patterns.json", "[{\"id\":\"p1\",\"agent\":\"coder\",\"pattern\":{\"type\":\"retry\"},"
                + "\"metrics\":{\"successRate\":0.9,\"executionCount\":4}}]");
        write("global/index.json", "{\"entries\":[],\"version\":\"1.0.0\"}");
    }

    void write(String rel, String text) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
    }

    @Test
    void healthPrintsTheChecksAndExitsWithTheStatus() {
        CliRun r = CliRun.of(root.toString(), "monitor", "health");
        // no backup yet: warning
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.WARNING);
        assertThat(r.out()).contains("Status: ⚠️ WARNING").contains("✗  recent_backup").contains("✓  file_integrity")
                .contains("No backups found");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void healthJudgesTheBackupsInTheBackupRootGiven() {
        Path vault = dir.resolve("vault");
        CliRun created = CliRun.of(root.toString(), "backup", "create", "--backup-root", vault.toString());
        assertThat(created.code()).as(created.err()).isZero();

        CliRun elsewhere = CliRun.of(root.toString(), "monitor", "health", "--backup-root", vault.toString());
        assertThat(elsewhere.code()).isEqualTo(ExitCodes.OK);
        assertThat(elsewhere.out()).contains("✓  recent_backup");
        CliRun beside = CliRun.of(root.toString(), "monitor", "health");
        assertThat(beside.out()).contains("✗  recent_backup").contains("No backups found");
    }

    @Test
    void aCorruptFileMakesHealthCriticalWithExitTwoAndNamesTheFile() throws IOException {
        write("reviewer/solutions.json", "[{\"id\": ");
        CliRun r = CliRun.of(root.toString(), "monitor", "health", "--json");
        assertThat(r.code()).isEqualTo(ExitCodes.CRITICAL);
        JsonNode h = parse(r.out());
        assertThat(h.get("status").asText()).isEqualTo("critical");
        assertThat(h.get("checks").get("file_integrity").asBoolean()).isFalse();
        assertThat(h.get("errors").get(0).asText()).contains("reviewer/solutions.json");
        assertThat(Files.readString(root.resolve("reviewer/solutions.json"))).isEqualTo("[{\"id\": ");
    }

    @Test
    void reportIsExactlyOneJsonDocumentWithLoomsSections() {
        CliRun r = CliRun.of(root.toString(), "monitor", "report");
        JsonNode doc = parse(r.out());
        assertThat(doc.get("memory").get("patterns").asInt()).isEqualTo(1);
        assertThat(doc.get("memory").get("largest_agent").get("name").asText()).isEqualTo("coder");
        assertThat(doc.get("performance").has("avg_query_time_ms")).isTrue();
        assertThat(doc.get("performance").get("cache_hit_rate").isNull()).as("no fake 0%").isTrue();
        assertThat(doc.get("health_checks").get("total").asInt()).isEqualTo(6);
        assertThat(doc.get("alerts").get("by_level").has("critical")).isTrue();
    }

    @Test
    void metricsAndAlertsHaveJsonForms() {
        JsonNode m = parse(CliRun.of(root.toString(), "monitor", "metrics", "--json").out());
        assertThat(m.get("memory").get("pattern_count").asInt()).isEqualTo(1);
        assertThat(m.get("agents").get(0).get("agent").asText()).isEqualTo("coder");
        CliRun a = CliRun.of(root.toString(), "monitor", "alerts", "--json");
        JsonNode alerts = parse(a.out());
        assertThat(alerts.get("active").asInt()).isEqualTo(alerts.get("alerts").size()).isPositive();
        assertThat(alerts.get("alerts").get(0).get("details").get("condition").asText()).isNotEmpty();
        assertThat(a.code()).isEqualTo(ExitCodes.WARNING);
    }

    @Test
    void repeatedRunsKeepOneAlertPerCondition() {
        for (int i = 0; i < 3; i++) {
            CliRun.of(root.toString(), "monitor", "report");
        }
        JsonNode alerts = parse(CliRun.of(root.toString(), "monitor", "alerts", "--json").out());
        assertThat(alerts.get("alerts")).extracting(a -> a.get("details").get("condition").asText())
                .doesNotHaveDuplicates();
        assertThat(alerts.get("alerts").get(0).get("details").get("occurrences").asInt()).isEqualTo(3);
    }

    @Test
    void asASubprocessExitCodesAndJsonAreWhatAShellSees() throws Exception {
        Subprocess report = Subprocess.run(dir, ".loom/memory", "monitor", "report");
        assertThat(report.code()).as(report.err()).isEqualTo(ExitCodes.WARNING);
        assertThat(parse(report.out()).get("status").asText()).isEqualTo("warning");

        Subprocess missing = Subprocess.run(dir, "no/such/memory", "monitor", "health");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).startsWith("aml: Memory path does not exist: no/such/memory")
                .doesNotContain("\n");
        assertThat(missing.out()).isEmpty();

        Subprocess badOption = Subprocess.run(dir, ".loom/memory", "monitor", "health", "--frobnicate");
        assertThat(badOption.code()).isEqualTo(ExitCodes.USAGE);

        write("coder/decisions.json", "not json");
        Subprocess critical = Subprocess.run(dir, ".loom/memory", "monitor", "health");
        assertThat(critical.code()).isEqualTo(ExitCodes.CRITICAL);
        assertThat(critical.out()).contains("🚨 CRITICAL").contains("coder/decisions.json");
    }

    @Test
    void aStoreWithoutATreeOnDiskIsMonitoredThroughItsItems() {
        try (dev.aml.maintenance.MemoryManager aml = dev.aml.maintenance.MemoryManager.builder().build()) {
            aml.agent("coder").patterns().record(dev.aml.maintenance.PatternDraft.of("retry", java.util.Map.of()));
            HealthReport r = MonitorCommand.monitorOf(aml).health();
            java.io.StringWriter text = new java.io.StringWriter();
            MonitorCommand.printHealth(new Output(new java.io.PrintWriter(text), false), r);

            assertThat(r.status()).isEqualTo(dev.aml.maintenance.monitor.HealthStatus.HEALTHY);
            assertThat(r.metrics().memory().patternCount()).isEqualTo(1);
            assertThat(text.toString()).contains("Status: ✅ HEALTHY").contains("directory_structure   healthy")
                    .contains("recent_backup         healthy");
            assertThat(r.checks()).extracting(dev.aml.maintenance.monitor.HealthCheck::message)
                    .anySatisfy(m -> assertThat(m).startsWith("No directory tree: in-memory store"))
                    .anySatisfy(m -> assertThat(m).contains("pg_dump"));
            assertThat(MonitorCommand.exitCode(r.status())).isEqualTo(ExitCodes.OK);
            // auto backs up before pruning: without a tree, only with --backup-root (else a usage error)
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutoCommand.requireBackupPlace(aml, null))
                    .isInstanceOf(dev.aml.core.InvalidInputException.class).hasMessageContaining("--backup-root DIR");
            AutoCommand.requireBackupPlace(aml, java.nio.file.Path.of("backups"));
            assertThat(Main.exitCodeOf(new dev.aml.core.InvalidInputException("x"))).isEqualTo(ExitCodes.USAGE);
        }
    }

    static JsonNode parse(String stdout) {
        try {
            return STRICT.readTree(stdout);
        } catch (IOException e) {
            throw new AssertionError("stdout is not exactly one JSON document: " + e.getMessage() + "\n" + stdout, e);
        }
    }
}
