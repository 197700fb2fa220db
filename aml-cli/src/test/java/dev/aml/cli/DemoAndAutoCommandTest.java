package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAndAutoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoCreatesATreeLearnsQueriesChecksPrunesBacksUpAndVerifies() throws Exception {
        Path root = dir.resolve(".loom/memory");
        CliRun first = CliRun.of(root.toString(), "demo", "--json");
        assertThat(first.code()).as(first.err()).isZero();
        JsonNode doc = MonitorCommandTest.parse(first.out());
        assertThat(doc.get("recorded").asInt()).isEqualTo(6);
        assertThat(doc.get("top_patterns").get(0).get("agent").asText()).isEqualTo("coder");
        assertThat(doc.get("queries").get("cache_hit_rate").asDouble()).isPositive();
        assertThat(doc.get("verify").get("ok").asBoolean()).isTrue();
        // issue 17: every step does real work on the sample tree
        assertThat(doc.get("prune_dry_run").get("candidates")).extracting(JsonNode::asText).anySatisfy(c ->
                assertThat(c).contains("legacy/pattern legacy-deploy-friday", "unused_too_long"));
        assertThat(doc.get("prune").get("items_removed").asInt()).isEqualTo(3);
        assertThat(doc.get("prune").get("backup_id").asText()).startsWith("full_");
        assertThat(doc.get("verify").get("items_checked").asInt()).isPositive();
        assertThat(doc.get("restore").get("items_back")).hasSize(3);
        assertThat(root.resolve("legacy/patterns.json")).content().contains("legacy-deploy-friday");
        assertThat(doc.get("health").get("checks").size()).isEqualTo(6);
        assertThat(root.resolve("coder/patterns.json")).exists();
        assertThat(Files.list(dir.resolve(".loom/memory-backup")).anyMatch(p -> p.getFileName().toString()
                .startsWith("full_"))).isTrue();

        CliRun again = CliRun.of(root.toString(), "demo", "--json");
        assertThat(again.code()).isZero();
        assertThat(MonitorCommandTest.parse(again.out()).get("recorded").asInt()).as("reuses the tree").isZero();

        // a later CLI process reports the demo's real query counters, not a fresh 0 %
        JsonNode report = MonitorCommandTest.parse(CliRun.of(root.toString(), "monitor", "report").out());
        assertThat(report.get("performance").get("source").asText()).isEqualTo("persisted");
        assertThat(report.get("performance").get("queries").asLong()).isPositive();
        assertThat(report.get("performance").get("cache_hit_rate").asDouble()).isPositive();
    }

    @Test
    void autoDryRunListsStepsWithReasonsAndChangesNothing() throws Exception {
        Path root = treeWithOnePattern();
        CliRun r = CliRun.of(root.toString(), "auto", "--dry-run", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = MonitorCommandTest.parse(r.out());
        assertThat(doc.get("dry_run").asBoolean()).isTrue();
        assertThat(doc.get("steps")).extracting(s -> s.get("action").asText()).contains("backup", "rebuild_index");
        assertThat(doc.get("steps")).allSatisfy(s -> {
            assertThat(s.get("outcome").asText()).isEqualTo("planned");
            assertThat(s.get("reason").asText()).isNotBlank();
        });
        assertThat(dir.resolve("memory-backup")).doesNotExist();
        assertThat(root.resolve("global/index.json")).doesNotExist();
    }

    Path treeWithOnePattern() throws java.io.IOException {
        Path root = dir.resolve("memory");
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[{\"id\":\"p1\",\"agent\":\"coder\","
                + "\"pattern\":{\"type\":\"retry\"},\"metrics\":{\"successRate\":0.9,\"executionCount\":4}}]");
        return root;
    }

    @Test
    void autoOnAnEmptyTreeDoesNotTryToBackUpNothing() throws Exception {
        Path root = dir.resolve("empty");
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        JsonNode doc = MonitorCommandTest.parse(CliRun.of(root.toString(), "auto", "--dry-run", "--json").out());
        assertThat(doc.get("steps")).extracting(s -> s.get("action").asText()).doesNotContain("backup");
    }

    @Test
    void autoRunsTheStepsBackupFirst() throws Exception {
        Path root = treeWithOnePattern();
        CliRun r = CliRun.of(root.toString(), "auto", "--json");
        JsonNode doc = MonitorCommandTest.parse(r.out());
        assertThat(doc.get("steps").get(0).get("action").asText()).isEqualTo("backup");
        assertThat(doc.get("steps")).allSatisfy(s -> assertThat(s.get("outcome").asText()).as(s.toString())
                .isEqualTo("done"));
        assertThat(r.code()).isZero();
        assertThat(root.resolve("global/index.json")).exists();
        CliRun again = CliRun.of(root.toString(), "auto");
        assertThat(again.out()).contains("Nothing to do");
    }
}
