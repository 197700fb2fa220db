package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.of();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("missing command");
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLinePlusHint() {
        CliRun r = CliRun.of(dir.toString(), "monitor", "health", "--bogus");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("aml: Unknown option: '--bogus'");
        assertThat(r.err().lines().count()).isEqualTo(2);
    }

    @Test
    void missingMemoryPathIsOneLineUsageErrorWithoutStackTrace() {
        CliRun r = CliRun.of(dir.resolve("nope").toString(), "monitor", "health");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("aml: Memory path does not exist: ").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = CliRun.of(dir.resolve("nope").toString(), "monitor", "health", "--verbose");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("\tat dev.aml.cli.");
    }

    @Test
    void helpShowsDefaultsAndExitCodes() {
        CliRun r = CliRun.of("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("default: .loom/memory").contains("73 lock held elsewhere");
        CliRun prune = CliRun.of("prune", "--help");
        assertThat(prune.out()).contains("(default:").contains("time_based,performance_based).");
    }

    @Test
    void generatesABashCompletionScriptThatKnowsTheCommands() {
        CliRun r = CliRun.of("generate-completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("monitor").contains("warm-cache");
        assertThat(CliRun.of("--help").out()).doesNotContain("generate-completion");
    }
}
