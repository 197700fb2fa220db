package dev.aml.cli;

import dev.aml.core.InvalidInputException;
import dev.aml.maintenance.AutoBackupReport;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.Backups;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.RestoreReport;
import dev.aml.maintenance.RotationReport;
import dev.aml.maintenance.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aml <path> backup create|auto|list|restore|verify|rotate|reindex}. */
@Command(name = "backup", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {BackupCommand.Create.class, BackupCommand.Auto.class, BackupCommand.ListBackups.class,
            BackupCommand.Restore.class, BackupCommand.Verify.class, BackupCommand.Rotate.class,
            BackupCommand.Reindex.class},
        description = {"Create, list, verify, rotate and restore backups (memory-backup/ beside the memory root,",
            "or --backup-root DIR; a jdbc: URL needs --backup-root and its backups are Loom-format exports)."})
final class BackupCommand {

    private BackupCommand() {
    }

    /** Base of the backup commands: opens the memory and its backups. */
    abstract static class BackupLeaf extends LeafCommand {

        @Mixin
        BackupRootOption where;

        @Override
        @Nullable Path backupRoot() {
            return where.backupRoot();
        }

        /** @return the backup settings of this command (defaults unless an option changes them) */
        BackupConfig config() {
            return backupConfig();
        }

        /** @return the backups of the opened memory */
        Backups backups(MemoryManager aml) {
            return aml.backups(config());
        }
    }

    /**
     * Runs {@code work} with a progress line on stderr (terminals only, after one second).
     *
     * @param cmd the running command
     * @param label what runs, e.g. {@code "Backing up"}
     * @param work the work
     * @param <T> its result type
     * @return its result
     */
    static <T> T withProgress(LeafCommand cmd, String label, java.util.function.Supplier<T> work) {
        Progress p = cmd.progress(label);
        try {
            return work.get();
        } finally {
            p.close();
        }
    }

    static String typeName(BackupType type) {
        return type == BackupType.FULL ? "full" : "incremental";
    }

    static Map<String, Object> describe(BackupInfo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backup_id", b.id());
        m.put("backup_type", typeName(b.type()));
        m.put("timestamp", b.timestamp());
        m.put("parent_backup_id", b.parentId());
        m.put("description", b.description());
        m.put("agents", b.agents());
        m.put("file_count", b.fileCount());
        m.put("total_size_bytes", b.totalSizeBytes());
        m.put("codec", b.codec());
        m.put("verified", b.verified());
        m.put("complete", b.complete());
        m.put("backup_path", b.path());
        return m;
    }

    static void printCreated(Output o, BackupInfo b) {
        o.line("Backup created: " + b.id());
        o.line("   Type: " + typeName(b.type()) + (b.parentId() == null ? "" : " (parent " + b.parentId() + ")"));
        o.line("   Files: " + b.fileCount() + " stored in this backup");
        o.line("   Size: " + Output.size(b.totalSizeBytes()) + " (" + b.codec() + ")");
        o.line("   Verified: " + (b.verified() ? "yes" : "no"));
        o.line("   Path: " + b.path());
        if (!b.description().isEmpty()) {
            o.line("   Description: " + b.description());
        }
    }

    /** {@code create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a full (or incremental) backup.")
    static final class Create extends BackupLeaf {
        @Option(names = "--incremental", description = "Only files changed since the previous backup.")
        boolean incremental;

        @Option(names = "--codec", description = "gzip or lz4 (default: backup.codec, gzip).")
        @Nullable String codec;

        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "",
                description = "Why the backup is taken; shown by 'backup list'.")
        String description;

        @Mixin
        RehashAllOption rehash;

        @Override
        List<Flag> settingFlags() {
            List<Flag> flags = rehash.flags(super.settingFlags());
            if (codec != null) {
                if (!List.of("gzip", "lz4").contains(codec.toLowerCase(Locale.ROOT))) {
                    throw new InvalidInputException("--codec must be gzip or lz4, was '" + codec + "'");
                }
                flags.add(new Flag("backup.codec", codec, "--codec"));
            }
            return flags;
        }

        @Override
        public Integer call() {
            BackupConfig config = config();
            try (MemoryManager aml = openManager()) {
                Backups backups = aml.backups(config);
                BackupInfo b = BackupCommand.withProgress(this, "Backing up",
                        () -> incremental ? backups.createIncremental(description) : backups.createFull(description));
                if (json()) {
                    output().json(describe(b));
                } else {
                    printCreated(output(), b);
                }
                return ExitCodes.OK;
            }
        }
    }

    /** {@code auto}. */
    @Command(name = "auto", mixinStandardHelpOptions = true,
            description = "Full backup when needed, else incremental; then rotate.")
    static final class Auto extends BackupLeaf {
        @Mixin
        RehashAllOption rehash;

        @Override
        List<Flag> settingFlags() {
            return rehash.flags(super.settingFlags());
        }

        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                AutoBackupReport r = BackupCommand.withProgress(this, "Backing up", backups(aml)::auto);
                if (json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("backup", describe(r.backup()));
                    m.put("reason", r.reason());
                    m.put("rotation", r.rotation());
                    output().json(m);
                } else {
                    printCreated(output(), r.backup());
                    output().line("   Why " + typeName(r.backup().type()) + ": " + r.reason());
                    output().line("Rotation: deleted " + r.rotation().deleted().size() + " old backups"
                            + (r.rotation().deleted().isEmpty() ? "" : " " + r.rotation().deleted()));
                }
                return ExitCodes.OK;
            }
        }
    }

    /**
     * {@code --rehash-all}: read and hash every file instead of trusting the stat cache
     * ({@link BackupConfig#rehashAll()}), e.g. after the system clock was set back.
     */
    static final class RehashAllOption {
        @Option(names = "--rehash-all",
                description = "Read and hash every file instead of reusing the hashes of files whose size, times,"
                        + " inode and device are unchanged (use after the system clock was set back).")
        boolean rehashAll;

        /**
         * @param flags the command's other settings flags
         * @return {@code flags}, with {@code backup.rehash_all=true} when the option was given
         */
        List<LeafCommand.Flag> flags(List<LeafCommand.Flag> flags) {
            if (rehashAll) {
                flags.add(new LeafCommand.Flag("backup.rehash_all", true, "--rehash-all"));
            }
            return flags;
        }
    }

    /** {@code list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List backups, newest first.")
    static final class ListBackups extends BackupLeaf {
        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                Backups backups = backups(aml);
                List<BackupInfo> all = backups.list();
                if (json()) {
                    output().json(all.stream().map(BackupCommand::describe).toList());
                    return ExitCodes.OK;
                }
                Output o = output();
                o.line("Found " + all.size() + " backups in " + backups.root() + (all.isEmpty() ? "" : ":"));
                if (all.isEmpty()) {
                    return ExitCodes.OK;
                }
                o.line("");
                Output.Table t = o.table("ID", "TYPE", "DATE (UTC)", "AGE", "SIZE", "FILES", "STATE", "DESCRIPTION");
                Instant now = aml.clock().instant();
                for (BackupInfo b : all) {
                    long days = Duration.between(b.timestamp(), now).toDays();
                    t.row(b.id(), typeName(b.type()), b.timestamp().toString(), days + "d",
                            Output.size(b.totalSizeBytes()), b.fileCount(),
                            !b.complete() ? "INCOMPLETE" : b.verified() ? "verified" : "unverified",
                            b.description().isEmpty() ? "-" : b.description());
                }
                t.print();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restore a backup in place (after a safety backup) or into --target DIR.",
                "In place on a jdbc: URL, every agent's items become the backup's, in one transaction."})
    static final class Restore extends BackupLeaf {
        @Option(names = "--backup-id", paramLabel = "ID", description = "The backup to restore.")
        String backupId;

        @Option(names = "--at", paramLabel = "TIME",
                description = "Restore the latest backup at or before TIME (ISO-8601).")
        String at;

        @Option(names = "--target", paramLabel = "DIR",
                description = "Restore into this new directory (a Loom memory tree) instead of in place.")
        String target;

        @Override
        public Integer call() {
            if ((backupId == null) == (at == null)) {
                throw new InvalidInputException("restore needs exactly one of --backup-id ID or --at TIME"
                        + " (see 'aml <path> backup list' for ids)");
            }
            Instant when = at == null ? null : parseTime(at);
            try (MemoryManager aml = openManager()) {
                Backups backups = backups(aml);
                Path dest = target == null ? null : Path.of(target);
                RestoreReport r = BackupCommand.withProgress(this, "Restoring", () -> dest == null
                        ? when == null ? backups.restoreInPlace(backupId) : backups.restoreInPlaceAt(when)
                        : when == null ? backups.restore(backupId, dest) : backups.restoreAt(when, dest));
                if (json()) {
                    output().json(r);
                } else {
                    Output o = output();
                    o.line("Restore successful: " + r.backupId()
                            + (r.inPlace() ? " (in place)" : " into " + r.target()));
                    o.line("   Chain: " + String.join(" -> ", r.chain()));
                    o.line("   Files restored: " + r.filesRestored());
                    o.line("   Size: " + Output.size(r.bytesRestored()));
                    if (r.inPlace()) {
                        o.line("   Items restored: " + Output.count(r.itemsRestored()));
                        o.line("   Safety backup of the previous state: " + r.safetyBackupId());
                    }
                    o.line(String.format(Locale.ROOT, "   Duration: %.2f s", r.duration().toNanos() / 1e9));
                }
                return ExitCodes.OK;
            }
        }

        static Instant parseTime(String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new InvalidInputException("--at must be an ISO-8601 time such as 2026-06-01T12:00:00Z or"
                            + " 2026-06-01T12:00:00 (local), was '" + text + "'");
                }
            }
        }
    }

    /** {@code verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify checksums and the chain.")
    static final class Verify extends BackupLeaf {
        @Option(names = "--backup-id", paramLabel = "ID", description = "The backup (default: the latest).")
        String backupId;

        @Option(names = "--drill", description = "Also restore into a temp dir and compare every item.")
        boolean drill;

        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                Backups backups = backups(aml);
                String id = backupId;
                if (id == null) {
                    id = backups.list().stream().filter(BackupInfo::complete).findFirst().map(BackupInfo::id)
                            .orElseThrow(() -> new InvalidInputException("There are no complete backups in "
                                    + backups.root() + " to verify; create one with 'aml <path> backup create'"));
                }
                String chosen = id;
                VerifyReport r = BackupCommand.withProgress(this, "Verifying", () -> backups.verify(chosen, drill));
                if (json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ok", r.ok());
                    m.put("report", r);
                    output().json(m);
                } else {
                    Output o = output();
                    o.line((r.ok() ? "Backup verification successful: " : "Backup verification FAILED: ")
                            + r.backupId());
                    o.line("   Chain: " + (r.chain().isEmpty() ? "-" : String.join(" -> ", r.chain())));
                    o.line("   Files checked: " + r.filesChecked() + " (" + Output.size(r.bytesChecked())
                            + " uncompressed)");
                    if (r.drill()) {
                        o.line("   Restore drill: " + (r.ok() ? "passed, " : "") + Output.count(r.itemsChecked())
                                + " items parsed");
                    }
                    for (String problem : r.problems()) {
                        o.line("   - " + problem);
                    }
                }
                return r.ok() ? ExitCodes.OK : ExitCodes.DATA;
            }
        }
    }

    /** {@code rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Delete backups no retention rule keeps (retention_days, max_backups, keep_last,",
                "keep_daily, keep_weekly, keep_monthly in config/aml.json), never one a kept backup",
                "depends on, nor the newest verified full backup. --dry-run lists every backup with its rule."})
    static final class Rotate extends BackupLeaf {
        @Option(names = "--dry-run", description = "Change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                RotationReport r = backups(aml).rotate(dryRun);
                if (json()) {
                    output().json(r);
                } else {
                    Output o = output();
                    o.line((dryRun ? "Would delete " : "Deleted ") + r.deleted().size() + " old backups"
                            + (r.deleted().isEmpty() ? "" : ": " + String.join(", ", r.deleted())));
                    o.line("   Kept: " + r.kept().size());
                    r.keptBecause().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .forEach(e -> o.line("   - " + e.getKey() + " kept: " + e.getValue()));
                    if (!r.decisions().isEmpty()) {
                        o.line("");
                        Output.Table t = o.table("BACKUP", "DECISION", "RULE");
                        for (RotationReport.Decision d : r.decisions()) {
                            t.row(d.backupId(), d.keep() ? "keep" : "remove", String.join("; ", d.rules()));
                        }
                        t.print();
                    }
                    if (!r.incomplete().isEmpty()) {
                        o.line("   Incomplete (not counted; remove with 'backup delete'): "
                                + String.join(", ", r.incomplete()));
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    /** {@code reindex}. */
    @Command(name = "reindex", mixinStandardHelpOptions = true,
            description = "Rebuild backup_metadata.json from the backup folders.")
    static final class Reindex extends BackupLeaf {
        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                List<BackupInfo> all = backups(aml).reindex();
                if (json()) {
                    output().json(all.stream().map(BackupCommand::describe).toList());
                } else {
                    long complete = all.stream().filter(BackupInfo::complete).count();
                    output().line("Rebuilt backup_metadata.json: " + complete + " backups registered"
                            + (complete == all.size() ? "" : ", " + (all.size() - complete) + " incomplete left out"));
                }
                return ExitCodes.OK;
            }
        }
    }
}
