package dev.aml.cli;

import dev.aml.core.AmlException;
import dev.aml.core.BackupException;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MigrationException;
import dev.aml.maintenance.settings.InvalidSettingsException;
import dev.aml.store.jdbc.JdbcStoreException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Entry point of {@code aml}. {@link #run(String...)} executes a command line in-process and returns
 * its exit code (tests use it); {@link #main(String[])} exits the JVM with that code.
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        int code = run(args);
        // The only place the CLI ends the JVM: the exit code is the CLI's contract with shells and cron.
        Runtime.getRuntime().exit(code);
    }

    /**
     * Runs one command line with stdout/stderr of this process.
     *
     * @param args the command line
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(String... args) {
        // UTF-8 whatever the platform default (Java 17 follows the locale, which may be ASCII under cron)
        return run(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args);
    }

    /**
     * Runs one command line writing to the given streams.
     *
     * @param out standard output
     * @param err standard error
     * @param args the command line
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /**
     * Runs one command line writing to the given streams, with the given environment (tests).
     *
     * @param out standard output
     * @param err standard error
     * @param env the environment ({@code AML_CONFIG}, {@code AML_<SECTION>_<KEY>}, {@code AML_JDBC_*})
     * @param args the command line
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> env, String... args) {
        CommandLine cmd = commandLine(out, err);
        ((AmlCommand) cmd.getCommand()).environment = java.util.Map.copyOf(env);
        return cmd.execute(args);
    }

    /**
     * @param out standard output
     * @param err standard error
     * @return the configured picocli command line
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new AmlCommand());
        // 'aml generate-completion > aml_completion' prints picocli's bash/zsh completion script.
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(true);
        cmd.addSubcommand("generate-completion", completion);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setUsageHelpAutoWidth(true);
        cmd.setExitCodeExceptionMapper(Main::exitCodeOf);
        cmd.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("aml: " + ex.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption("--verbose");
            }
            PrintWriter e = commandLine.getErr();
            e.println("aml: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(e);
            }
            return exitCodeOf(ex);
        });
        return cmd;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof InvalidSettingsException) {
            return ExitCodes.CONFIG;
        }
        if (ex instanceof JdbcStoreException j && j.isConnectionFailure()) {
            return ExitCodes.UNAVAILABLE;
        }
        if (ex instanceof ConcurrentOperationException) {
            return ExitCodes.LOCKED;
        }
        if (ex instanceof CorruptDataException || ex instanceof BackupException || ex instanceof MigrationException) {
            return ExitCodes.DATA;
        }
        if (ex instanceof InvalidInputException || ex instanceof ItemNotFoundException
                || ex instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (ex instanceof AmlException) {
            return ExitCodes.DATA;
        }
        return ExitCodes.INTERNAL;
    }

    private static String oneLine(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName() + " (run again with --verbose for details)";
        }
        return message.replace('\n', ' ');
    }
}
