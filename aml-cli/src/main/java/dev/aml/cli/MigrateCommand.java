package dev.aml.cli;

import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.MigrationReport;
import dev.aml.maintenance.Migrations;
import dev.aml.maintenance.SchemaDetection;
import dev.aml.maintenance.SchemaVersion;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aml <path> migrate detect|migrate}. */
@Command(name = "migrate", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {MigrateCommand.Detect.class, MigrateCommand.Migrate.class},
        description = "Detect the schema version and migrate (backup first, rollback on failure).")
final class MigrateCommand {

    private MigrateCommand() {
    }

    /** {@code detect}. */
    @Command(name = "detect", mixinStandardHelpOptions = true, description = "Print the current schema version.")
    static final class Detect extends LeafCommand {
        @Override
        public Integer call() {
            try (MemoryManager aml = openManager()) {
                SchemaDetection d = aml.migrations().detect();
                if (json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("version", d.version().text());
                    m.put("source", d.source());
                    Map<String, Long> items = new LinkedHashMap<>();
                    d.itemsByVersion().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .forEach(e -> items.put(e.getKey().text(), e.getValue()));
                    m.put("items_by_version", items);
                    m.put("latest", SchemaVersion.latest().text());
                    m.put("notes", d.notes());
                    output().json(m);
                } else {
                    output().line("Current schema version: " + d.version() + " (from " + d.source() + ")");
                    if (d.version() != SchemaVersion.latest()) {
                        output().line("   Latest: " + SchemaVersion.latest() + " (run 'migrate migrate')");
                    }
                    d.notes().forEach(n -> output().line("   Note: " + n));
                }
                return ExitCodes.OK;
            }
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
            SchemaVersion target = version == null ? SchemaVersion.latest() : SchemaVersion.of(version);
            try (MemoryManager aml = openManager()) {
                Migrations migrations = aml.migrations();
                MigrationReport r = BackupCommand.withProgress(this, "Migrating",
                        () -> dryRun ? migrations.dryRun(target) : migrations.migrate(target));
                if (json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("from", r.from().text());
                    m.put("to", r.to().text());
                    m.put("dry_run", r.dryRun());
                    m.put("already_current", r.alreadyCurrent());
                    m.put("steps", r.steps());
                    m.put("items_migrated", r.itemsMigrated());
                    m.put("files_updated", r.filesUpdated());
                    m.put("file_changes", r.fileChanges());
                    m.put("backup_id", r.backupId());
                    m.put("duration", r.duration());
                    output().json(m);
                    return ExitCodes.OK;
                }
                Output o = output();
                if (r.alreadyCurrent()) {
                    o.line("Already at schema " + r.to() + "; nothing to do.");
                    return ExitCodes.OK;
                }
                o.line((r.dryRun() ? "Dry run, nothing written: " : "Migration successful: ") + r.from() + " -> "
                        + r.to());
                o.line("   Steps: " + String.join(", ", r.steps()));
                o.line("   Items " + (r.dryRun() ? "to migrate" : "migrated") + ": " + Output.count(r.itemsMigrated()));
                o.line("   Files " + (r.dryRun() ? "to update" : "updated") + ": " + r.filesUpdated());
                r.fileChanges().forEach(c -> o.line("   - " + c));
                if (r.backupId() != null) {
                    o.line("   Backup created: " + r.backupId());
                }
                o.line(String.format(Locale.ROOT, "   Duration: %.2f s", r.duration().toNanos() / 1e9));
                return ExitCodes.OK;
            }
        }
    }
}
