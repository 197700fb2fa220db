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

        assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("jdbc:postgresql://127.0.0.1:1/fleet")
                .doesNotContain("hunter2")
                .doesNotContain("Memory path does not exist");
        assertThat(run.out()).doesNotContain("hunter2");
    }

    @Test
    void anUnreachableDatabaseHasItsOwnExitCodeAndSaysWhatToCheck() {
        // a closed localhost port, for every command that opens the store
        for (String[] command : new String[][] {{"backup", "list", "--backup-root", "b"}, {"prune", "--dry-run"}}) {
            CliRun run = CliRun.of(concat("jdbc:postgresql://127.0.0.1:1/fleet", command));

            assertThat(run.code()).as(String.join(" ", command)).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.err()).contains("127.0.0.1:1").contains("SQLState 08")
                    .contains("host and port").contains("AML_JDBC_USER").contains("AML_JDBC_PASSWORD");
        }
        // the hint says whether the credentials are set, never what the password is
        java.util.Map<String, String> env = java.util.Map.of("AML_JDBC_USER", "fleet", "AML_JDBC_PASSWORD",
                "s3cret-pw");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Managers.openJdbc(
                        "jdbc:postgresql://127.0.0.1:1/fleet", env, dev.aml.maintenance.BackupConfig.defaults()))
                .isInstanceOfSatisfying(dev.aml.store.jdbc.JdbcStoreException.class, e -> {
                    assertThat(e.isConnectionFailure()).isTrue();
                    assertThat(Main.exitCodeOf(e)).isEqualTo(ExitCodes.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("AML_JDBC_USER is 'fleet'")
                            .contains("AML_JDBC_PASSWORD is set").doesNotContain("s3cret-pw");
                });
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
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
