package dev.aml.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> prune}: remove old, failing or oversized memory, after a backup. */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prune old, unsuccessful or oversized memory (takes a backup first).")
final class PruneCommand extends LeafCommand {

    @Option(names = "--strategies", arity = "1..*", paramLabel = "STRATEGY",
            defaultValue = "time_based,performance_based", split = ",",
            description = "time_based, performance_based, space_based (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--aggressive", description = "Stricter limits: patterns 60 d, decisions 120 d, min success 0.30.")
    boolean aggressive;

    @Option(names = "--dry-run", description = "Report what would be pruned; change nothing.")
    boolean dryRun;

    @Option(names = {"--agent", "--agents"}, arity = "1..*", paramLabel = "NAME", description = "Only these agents.")
    List<String> agents;

    @Option(names = "--no-backup", description = "Skip the pre-prune backup (not recommended).")
    boolean noBackup;

    @Override
    public Integer call() {
        return notImplemented();
    }
}
