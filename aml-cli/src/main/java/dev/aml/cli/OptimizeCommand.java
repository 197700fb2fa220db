package dev.aml.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> optimize all|compress|index|warm-cache|gc}. */
@Command(name = "optimize", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {OptimizeCommand.All.class, OptimizeCommand.Compress.class, OptimizeCommand.Index.class, OptimizeCommand.WarmCache.class, OptimizeCommand.Gc.class},
        description = "Compress, rebuild the index, warm the cache, collect garbage.")
final class OptimizeCommand {

    /** {@code all}. */
    @Command(name = "all", mixinStandardHelpOptions = true, description = "gc, compress, index, warm-cache in order.")
    static final class All extends LeafCommand {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code compress}. */
    @Command(name = "compress", mixinStandardHelpOptions = true, description = "Compress files older than N days.")
    static final class Compress extends LeafCommand {
        @Option(names = "--age-days", defaultValue = "30", description = "Age in days; 0 = all (default: ${DEFAULT-VALUE}).")
        int ageDays;

        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code index}. */
    @Command(name = "index", mixinStandardHelpOptions = true, description = "Rebuild the index.")
    static final class Index extends LeafCommand {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code warm-cache}. */
    @Command(name = "warm-cache", mixinStandardHelpOptions = true, description = "Preload the most useful items.")
    static final class WarmCache extends LeafCommand {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code gc}. */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove duplicate ids, invalid items and stale temp files; never deletes unreadable files.")
    static final class Gc extends LeafCommand {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }
}
