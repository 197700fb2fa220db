package dev.aml.cli;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.AdviceReport;
import dev.aml.core.InvalidInputException;
import dev.aml.maintenance.MemoryManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aml <path> auto [--dry-run]}: runs a health check, applies the quick reference's decision
 * matrix, and runs the recommended steps in a safe order (backup first). Exit code: 0 when every step
 * ran (or nothing was needed), 1 when a step failed or was skipped.
 */
@Command(name = "auto", mixinStandardHelpOptions = true,
        description = {"Run what the decision matrix recommends, backup first:",
            "  memory > 70% of a limit: prune time_based + performance_based",
            "  memory > 85%: prune all strategies, aggressive",
            "  queries > 50 ms: rebuild index + warm cache;  cache hit rate < 60%: warm cache",
            "  index missing or stale: rebuild index;  no verified backup in 24 h: backup",
            "Exit code: 0 all steps done (or none needed), 1 a step failed or was skipped."})
final class AutoCommand extends LeafCommand {

    @Option(names = "--dry-run", description = "Only print the recommended steps and why; change nothing.")
    boolean dryRun;

    @Mixin
    BackupRootOption where;

    @Override
    @Nullable Path backupRoot() {
        return where.backupRoot();
    }

    /**
     * The advisor's backup step (always before a prune) needs a place for backups: beside a memory
     * tree, or {@code --backup-root} for a store without one.
     *
     * @param aml the opened memory
     * @param backupRoot the {@code --backup-root} given, if any
     * @throws InvalidInputException (exit 64) naming {@code --backup-root} when there is no such place
     */
    static void requireBackupPlace(MemoryManager aml, @Nullable Path backupRoot) {
        if (aml.root().isEmpty() && backupRoot == null) {
            throw new InvalidInputException("auto backs up before it prunes, and " + aml.store().describe()
                    + " has no memory root beside which backups could live: pass --backup-root DIR (its backups"
                    + " are Loom-format exports of the items; physical backups remain pg_dump's job)");
        }
    }

    @Override
    public Integer call() {
        Advice advice;
        AdviceReport report = null;
        try (MemoryManager aml = dryRun ? openManagerReadOnly() : openManager()) {
            requireBackupPlace(aml, where.backupRoot()); // the advisor's backup step needs a backup root
            advice = withProgress("Checking health", aml::advise);
            if (!dryRun && !advice.isEmpty()) {
                report = withProgress("Running maintenance", advice::apply);
            }
        }
        Output o = output();
        if (o.isJson()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dry_run", dryRun);
            doc.put("status", advice.basis().status().label());
            doc.put("steps", steps(advice, report));
            doc.put("succeeded", report == null || report.succeeded());
            o.json(doc);
        } else {
            o.line("🤖 Maintenance advisor" + (dryRun ? " (dry run: nothing changes)" : ""));
            o.line("   Health: " + advice.basis().status().name());
            o.line("");
            if (advice.isEmpty()) {
                o.line("✅ Nothing to do: the tree is within every threshold of the decision matrix");
            } else {
                Output.Table t = o.table("#", "Action", "Outcome", "Reason / result");
                int i = 1;
                for (Map<String, Object> s : steps(advice, report)) {
                    t.row(i++, s.get("action"), s.get("outcome"),
                            s.get("result") == null ? s.get("reason") : s.get("reason") + " -> " + s.get("result"));
                }
                t.print();
            }
        }
        return report == null || report.succeeded() ? ExitCodes.OK : ExitCodes.WARNING;
    }

    private static List<Map<String, Object>> steps(Advice advice, AdviceReport report) {
        if (report != null) {
            return report.results().stream().map(r -> step(r.step(), r.outcome().name().toLowerCase(Locale.ROOT),
                    r.summary())).toList();
        }
        return advice.steps().stream().map(s -> step(s, "planned", null)).toList();
    }

    private static Map<String, Object> step(Advice.Step s, String outcome, String result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", s.action().name().toLowerCase(Locale.ROOT));
        m.put("reason", s.reason());
        m.put("outcome", outcome);
        m.put("result", result);
        return m;
    }
}
