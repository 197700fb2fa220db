package dev.aml.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aml [<memory-path>] <command>}: the top-level command. The memory path defaults to
 * {@code .loom/memory} in the current directory, so {@code aml demo} and
 * {@code aml .loom/memory monitor health} both work.
 */
@Command(name = "aml",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Agent memory & learning: maintain a Loom memory tree (.loom/memory).",
            "",
            "Usage: aml <memory-path> prune|optimize|backup|migrate|monitor|auto|demo ...",
            ""
        },
        footer = {
            "",
            "Exit codes: 0 ok/healthy  1 warning  2 critical  64 usage error",
            "            65 bad or corrupt data  69 database unreachable  70 internal error",
            "            73 lock held elsewhere",
            "Examples:",
            "  aml .loom/memory monitor health",
            "  aml .loom/memory prune --strategies time_based performance_based --dry-run",
            "  aml .loom/memory backup restore --backup-id full_20260125_020000",
            "  aml .loom/memory monitor report | jq '.performance'"
        },
        subcommands = {
            PruneCommand.class,
            OptimizeCommand.class,
            BackupCommand.class,
            MigrateCommand.class,
            MonitorCommand.class,
            AutoCommand.class,
            QueryCommand.class,
            DemoCommand.class
        })
final class AmlCommand implements Callable<Integer> {

    /** The memory root used when none is given. */
    public static final String DEFAULT_MEMORY_PATH = ".loom/memory";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<memory-path>", defaultValue = DEFAULT_MEMORY_PATH,
            description = "The memory root (default: ${DEFAULT-VALUE}).")
    Path memoryPath = Path.of(DEFAULT_MEMORY_PATH);

    /** @return the memory root the user named */
    public Path memoryPath() {
        return memoryPath;
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("aml: missing command (prune, optimize, backup, migrate, monitor, auto, demo)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
