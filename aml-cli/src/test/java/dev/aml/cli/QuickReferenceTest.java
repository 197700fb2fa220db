package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the operator's quick reference (AML-QUICK-REFERENCE.md), in its order, on a tree
 * the demo created, run from the directory above {@code .loom} exactly as written there. None may be a
 * usage error or an internal error; the documented pipes must find what they look for.
 */
class QuickReferenceTest {

    @TempDir
    Path dir;

    CliRun aml(String line) {
        List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
        args.replaceAll(a -> a.equals(".loom/memory") ? dir.resolve(".loom/memory").toString() : a);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as("aml %s%nstdout: %s%nstderr: %s", line, r.out(), r.err())
                .isIn(ExitCodes.OK, ExitCodes.WARNING, ExitCodes.CRITICAL);
        return r;
    }

    @Test
    void everyCommandOfTheQuickReferenceWorksAsWritten() throws Exception {
        assertThat(aml(".loom/memory demo").code()).isZero();
        // something for the prunes to remove: a pattern Loom's TypeScript runtime wrote 200 days ago
        java.nio.file.Files.createDirectories(dir.resolve(".loom/memory/legacy"));
        java.nio.file.Files.writeString(dir.resolve(".loom/memory/legacy/patterns.json"), "[{\"id\":\"old-1\","
                + "\"agent\":\"legacy\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"pattern\":{\"type\":\"x\"},"
                + "\"metrics\":{\"successRate\":0.1,\"executionCount\":9},\"evolution\":{\"created\":"
                + "\"2026-01-01T00:00:00.000Z\",\"lastUsed\":\"2026-01-01T00:00:00.000Z\",\"confidenceScore\":0.2}}]");
        // Daily operations
        aml(".loom/memory monitor health");
        aml(".loom/memory monitor metrics");
        aml(".loom/memory monitor alerts");
        // Weekly maintenance
        aml(".loom/memory prune --strategies time_based performance_based");
        aml(".loom/memory optimize all");
        aml(".loom/memory backup create");
        // Troubleshooting
        aml(".loom/memory prune --aggressive");
        aml(".loom/memory optimize compress");
        aml(".loom/memory optimize index");
        aml(".loom/memory optimize warm-cache");
        aml(".loom/memory optimize gc");
        aml(".loom/memory migrate detect");
        aml(".loom/memory migrate migrate");
        // Cron schedule
        aml(".loom/memory backup auto");
        aml(".loom/memory prune");
        // Emergency procedures
        aml(".loom/memory prune --strategies space_based");
        aml(".loom/memory optimize compress --age-days 0");
        CliRun list = aml(".loom/memory backup list");
        assertThat(list.out()).as("backup list | grep \"Pre-prune\"").contains("Pre-prune");
        String latest = MonitorCommandTest.parse(aml(".loom/memory backup list --json").out()).findValues("backup_id")
                .get(0).asText();
        aml(".loom/memory backup restore --backup-id " + latest);
        // Monitoring cheatsheet
        JsonNode report = MonitorCommandTest.parse(aml(".loom/memory monitor report").out());
        assertThat(report.get("performance")).isNotNull();
        assertThat(report.get("memory").get("agents").asInt()).isEqualTo(4);
        JsonNode history = MonitorCommandTest.parse(java.nio.file.Files.readString(
                dir.resolve(".loom/memory/monitoring/metrics.json"))).get("history");
        assertThat(history.size()).isGreaterThan(3);
    }
}
