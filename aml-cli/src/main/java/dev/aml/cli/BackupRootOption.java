package dev.aml.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --backup-root DIR}: where backups live. Mixed into the commands that take or read backups
 * ({@code backup …}, {@code prune}, {@code auto}). A memory tree defaults to {@code memory-backup/}
 * beside it; a {@code jdbc:postgresql://…} store has no such place and needs the option.
 */
final class BackupRootOption {

    @Option(names = "--backup-root", paramLabel = "DIR",
            description = "Where backups live (default: memory-backup/ beside the memory root; required for a"
                    + " jdbc: URL, whose backups are Loom-format exports of the items).")
    @Nullable Path backupRoot;

    /** @return the directory given, if any */
    @Nullable Path backupRoot() {
        return backupRoot;
    }
}
