package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code aml jdbc:postgresql://… <command>} opens the PostgreSQL store; the URL reaches it unmangled and
 * secrets stay out of the output.
 */
class JdbcUrlArgumentTest {

    @Test
    void aJdbcUrlIsOpenedAsPostgresWithoutPrintingTheSecret() {
        // port 1 on localhost refuses at once: the store reports where it tried, without the password
        CliRun run = CliRun.of("jdbc:postgresql://127.0.0.1:1/fleet?password=hunter2", "monitor", "health");

        assertThat(run.code()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err()).contains("jdbc:postgresql://127.0.0.1:1/fleet")
                .doesNotContain("hunter2")
                .doesNotContain("Memory path does not exist");
        assertThat(run.out()).doesNotContain("hunter2");
    }

    @Test
    void anotherDatabasesUrlIsAUsageError() {
        CliRun run = CliRun.of("jdbc:mysql://db.example/fleet", "monitor", "health");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Not a PostgreSQL JDBC URL").contains("jdbc:postgresql://host:port/database");
    }

    @Test
    void theMemoryLabelKeepsTheUrlButDropsCredentialsAndParameters() {
        picocli.CommandLine cmd = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        picocli.CommandLine.ParseResult parsed = cmd.parseArgs(
                "jdbc:postgresql://bob:hunter2@127.0.0.1:5432/fleet?password=hunter2", "prune", "--dry-run");
        PruneCommand prune = (PruneCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(prune.memoryLabel()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/fleet");

        parsed = cmd.parseArgs(".loom/memory", "prune");
        assertThat(((PruneCommand) parsed.subcommand().commandSpec().userObject()).memoryLabel())
                .isEqualTo(".loom/memory");
    }
}
