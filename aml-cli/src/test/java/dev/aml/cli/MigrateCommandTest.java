package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {

    @TempDir
    Path dir;

    Path root;

    @BeforeEach
    void tree() throws IOException {
        root = dir.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[{\"id\":\"p1\",\"agent\":\"coder\","
                + "\"timestamp\":\"2026-05-01T10:00:00Z\",\"pattern\":{\"type\":\"retry\"},"
                + "\"metrics\":{\"successRate\":0.8,\"executionCount\":4},\"evolution\":{\"confidenceScore\":0.7}}]");
    }

    CliRun aml(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = root.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    @Test
    void detectDryRunMigrateAndIdempotence() throws IOException {
        CliRun detect = aml("migrate", "detect");
        assertThat(detect.code()).as(detect.err()).isZero();
        assertThat(detect.out()).contains("Current schema version: 1.0.0 (from data)");

        String before = Files.readString(root.resolve("coder/patterns.json"));
        CliRun dry = aml("migrate", "migrate", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("Dry run, nothing written: 1.0.0 -> 2.0.0").contains("coder/patterns.json");
        assertThat(Files.readString(root.resolve("coder/patterns.json"))).isEqualTo(before);

        CliRun run = aml("migrate", "migrate", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.path("to").asText()).isEqualTo("2.0.0");
        assertThat(r.path("steps")).hasSize(3);
        assertThat(r.path("backup_id").asText()).startsWith("full_");
        assertThat(Files.readString(root.resolve("coder/patterns.json"))).contains("\"performance\"");

        assertThat(aml("migrate", "detect").out()).contains("2.0.0 (from config/schema_version.json)");
        assertThat(aml("migrate", "migrate").out()).contains("Already at schema 2.0.0");
        assertThat(aml("migrate", "migrate", "--version", "1.1.0").code()).isEqualTo(ExitCodes.DATA);
        assertThat(aml("migrate", "migrate", "--version", "9.9").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(aml("backup", "list").out()).contains("Pre-migration backup (1.0.0 -> 2.0.0)");
    }

    @Test
    void corruptFileStopsTheMigrationWithExit65() throws IOException {
        Files.writeString(root.resolve("coder/solutions.json"), "[{\"id\":");
        CliRun run = aml("migrate", "migrate");
        assertThat(run.code()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err()).contains("solutions.json").contains("Nothing was migrated");
        assertThat(Files.readString(root.resolve("coder/solutions.json"))).isEqualTo("[{\"id\":");
    }
}
