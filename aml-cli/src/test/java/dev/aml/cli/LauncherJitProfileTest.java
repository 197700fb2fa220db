package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options {@code ./aml} starts hashing commands with (tiered compilation, C2 limited to the
 * JDK's SHA-2 digest by {@code aml-cli/jit/hashing-directives.json}): the directives file is valid
 * (an invalid one stops the JVM before {@code main}), and the JVM's "compiler directives added" line
 * stays off stdout, so {@code aml … backup list --json | jq} still reads one JSON document.
 */
class LauncherJitProfileTest {

    /** The directives file, relative to this module (the test's working directory). */
    private static final Path DIRECTIVES = Path.of("jit", "hashing-directives.json").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theHashingProfileRunsBackupsAndKeepsStdoutJson() throws Exception {
        assertThat(DIRECTIVES).isRegularFile();
        String launcher = Files.readString(Path.of("..", "aml"), StandardCharsets.UTF_8);
        assertThat(launcher).contains("-XX:-DisplayVMOutput").contains("aml-cli/jit/hashing-directives.json");
        Path root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[{\"id\":\"p1\",\"agent\":\"coder\","
                + "\"pattern\":{\"type\":\"retry\"},\"metrics\":{\"successRate\":0.9,\"executionCount\":3}}]");
        List<String> flags = List.of("-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES);

        Subprocess created = Subprocess.run(dir, flags, ".loom/memory", "backup", "create", "--json");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(new ObjectMapper().readTree(created.out()).get("backup_id").asText()).startsWith("full_");
        assertThat(created.out() + created.err()).doesNotContain("compiler directives");

        Subprocess verified = Subprocess.run(dir, flags, ".loom/memory", "backup", "verify", "--json");
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(new ObjectMapper().readTree(verified.out()).get("ok").asBoolean()).isTrue();
    }
}
