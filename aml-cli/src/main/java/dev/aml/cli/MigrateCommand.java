package dev.aml.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> migrate detect|migrate}. */
@Command(name = "migrate", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {MigrateCommand.Detect.class, MigrateCommand.Migrate.class},
        description = "Detect the schema version and migrate (backup first, rollback on failure).")
final class MigrateCommand {

    /** {@code detect}. */
    @Command(name = "detect", mixinStandardHelpOptions = true, description = "Print the current schema version.")
    static final class Detect extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code migrate}. */
    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Migrate to a version (default: latest).")
    static final class Migrate extends LeafCommand {
        @Option(names = "--version", paramLabel = "V", description = "Target version (default: latest).")
        String version;

        @Option(names = "--dry-run", description = "Report what would change.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }
}
