package dev.aml.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> backup create|auto|list|restore|verify|rotate|reindex}. */
@Command(name = "backup", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {BackupCommand.Create.class, BackupCommand.Auto.class, BackupCommand.ListBackups.class, BackupCommand.Restore.class, BackupCommand.Verify.class, BackupCommand.Rotate.class, BackupCommand.Reindex.class},
        description = "Create, list, verify, rotate and restore backups (memory-backup/ beside the memory root).")
final class BackupCommand {

    /** {@code create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a full (or incremental) backup.")
    static final class Create extends LeafCommand {
        @Option(names = "--incremental", description = "Only files changed since the previous backup.")
        boolean incremental;

        @Option(names = "--codec", defaultValue = "gzip", description = "gzip or lz4 (default: ${DEFAULT-VALUE}).")
        String codec;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code auto}. */
    @Command(name = "auto", mixinStandardHelpOptions = true,
            description = "Full backup when needed, else incremental; then rotate.")
    static final class Auto extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List backups, newest first.")
    static final class ListBackups extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore a backup (in place after a safety backup, or into --target).")
    static final class Restore extends LeafCommand {
        @Option(names = "--backup-id", paramLabel = "ID", description = "The backup to restore.")
        String backupId;

        @Option(names = "--at", paramLabel = "TIME", description = "Restore the latest backup at or before TIME (ISO-8601).")
        String at;

        @Option(names = "--target", paramLabel = "DIR", description = "Restore into this new directory.")
        String target;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify checksums and the chain.")
    static final class Verify extends LeafCommand {
        @Option(names = "--backup-id", paramLabel = "ID", description = "The backup (default: the latest).")
        String backupId;

        @Option(names = "--drill", description = "Also restore into a temp dir and compare every item.")
        boolean drill;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Delete backups past retention, never one a kept backup depends on.")
    static final class Rotate extends LeafCommand {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code reindex}. */
    @Command(name = "reindex", mixinStandardHelpOptions = true,
            description = "Rebuild backup_metadata.json from the backup folders.")
    static final class Reindex extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }
}
