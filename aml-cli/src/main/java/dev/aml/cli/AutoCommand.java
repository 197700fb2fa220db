package dev.aml.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> auto}: apply the maintenance advisor's recommendations. */
@Command(name = "auto", mixinStandardHelpOptions = true,
        description = "Run what the decision matrix recommends (backup first).")
final class AutoCommand extends LeafCommand {

    @Option(names = "--dry-run", description = "Only print the recommended actions and why.")
    boolean dryRun;

    @Override
    public Integer call() {
        return notImplemented();
    }
}
