package dev.aml.cli;

import dev.aml.core.AgentId;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneOperation;
import dev.aml.maintenance.PrunePlan;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.PruneStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aml <path> prune}: remove old, failing or oversized memory, after a backup. Bare
 * {@code prune} runs the reference's default strategies (time-based and performance-based).
 * Exit 0 when every agent was planned, 65 when an agent was skipped (unreadable files) or the
 * backup failed, 73 when another maintenance operation holds the tree.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prune old, unsuccessful or oversized memory (takes a backup first).")
final class PruneCommand extends LeafCommand {

    /** Most candidate lines the text output lists before pointing at --json. */
    static final int MAX_LISTED = 20;

    @Option(names = "--strategies", arity = "1..*", paramLabel = "STRATEGY", split = ",",
            description = "time_based, performance_based, space_based (default: prune.strategies,"
                    + " time_based,performance_based).")
    @Nullable List<String> strategies;

    @Option(names = "--aggressive", description = "Stricter limits: patterns 60 d, decisions 120 d, min success 0.30.")
    boolean aggressive;

    @Option(names = "--dry-run", description = "Report what would be pruned; change nothing.")
    boolean dryRun;

    @Option(names = {"--agent", "--agents"}, arity = "1..*", paramLabel = "NAME", description = "Only these agents.")
    List<String> agents;

    @Option(names = "--no-backup", description = "Skip the pre-prune backup (not recommended).")
    boolean noBackup;

    @Mixin
    BackupRootOption where;

    @Override
    @Nullable Path backupRoot() {
        return where.backupRoot();
    }

    @Override
    public Integer call() {
        PruneConfig config = config();
        Output o = output();
        try (MemoryManager aml = dryRun ? openManagerReadOnly() : openManager()) {
            PruneOperation op = aml.prune(config);
            PruneReport r = dryRun ? op.dryRun() : op.execute();
            if (o.isJson()) {
                o.json(document(memoryLabel(), r));
            } else {
                print(o, memoryLabel(), r, where.backupRoot());
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.DATA;
        }
    }

    /**
     * @return the prune settings in force: the {@code prune} section with this command's options on top;
     *     {@code --aggressive} tightens the three limits where the settings are laxer
     */
    PruneConfig config() {
        PruneConfig p = settings().settings().prune();
        return aggressive ? p.withAggressiveLimits() : p;
    }

    @Override
    List<Flag> settingFlags() {
        List<Flag> flags = super.settingFlags();
        if (strategies != null) {
            for (String s : strategies) {
                PruneStrategy.named(s); // an unknown name is a usage error (64), not a settings one
            }
            flags.add(new Flag("prune.strategies", List.copyOf(strategies), "--strategies"));
        }
        if (agents != null && !agents.isEmpty()) {
            agents.forEach(AgentId::of); // a bad agent name is a usage error (64)
            flags.add(new Flag("prune.agents", List.copyOf(agents), "--agent"));
        }
        if (noBackup) {
            flags.add(new Flag("prune.create_backup", false, "--no-backup"));
        }
        return flags;
    }

    static Map<String, Object> document(String root, PruneReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("memory_path", root);
        doc.put("dry_run", r.dryRun());
        doc.put("strategies", r.plan().strategies());
        doc.put("items_removed", r.itemsRemoved());
        doc.put("items_pruned", r.itemsPruned());
        doc.put("items_archived", r.itemsArchived());
        doc.put("bytes_freed", r.bytesFreed());
        doc.put("backup_id", r.backupId());
        doc.put("archives", r.archives().stream().map(Path::toString).toList());
        Map<String, Integer> byReason = new LinkedHashMap<>();
        r.countsByReason().forEach((k, v) -> byReason.put(k.value(), v));
        doc.put("by_reason", byReason);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PruneReport.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", row.agent().name());
            m.put("kind", row.kind().label());
            m.put("reason", row.reason().value());
            m.put("count", row.count());
            m.put("bytes", row.bytes());
            rows.add(m);
        }
        doc.put("rows", rows);
        List<Map<String, Object>> items = new ArrayList<>();
        for (PruneCandidate c : r.candidates()) {
            items.add(candidate(c));
        }
        doc.put("items", items);
        List<Map<String, Object>> kept = new ArrayList<>();
        for (PrunePlan.Protected p : r.plan().protectedItems()) {
            Map<String, Object> m = candidate(p.candidate());
            m.put("guard", p.guard().name().toLowerCase(java.util.Locale.ROOT));
            kept.add(m);
        }
        doc.put("protected", kept);
        List<Map<String, Object>> undated = new ArrayList<>();
        for (PrunePlan.ItemRef u : r.plan().undated()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", u.agent().name());
            m.put("kind", u.kind().label());
            m.put("id", u.id());
            undated.add(m);
        }
        doc.put("undated", undated);
        doc.put("warnings", r.warnings());
        doc.put("errors", r.errors());
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("plan_ms", r.planMillis());
        timings.put("backup_ms", r.backupMillis());
        timings.put("apply_ms", r.applyMillis());
        doc.put("timings", timings);
        return doc;
    }

    private static Map<String, Object> candidate(PruneCandidate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", c.agent().name());
        m.put("kind", c.kind().label());
        m.put("id", c.id());
        m.put("reason", c.reason().value());
        m.put("strategy", c.strategy());
        m.put("detail", c.detail());
        m.put("age_days", c.dated() ? c.ageDays() : null);
        m.put("success_rate", c.successRate());
        m.put("confidence", c.confidence());
        m.put("execution_count", c.executionCount());
        m.put("value", c.value());
        m.put("bytes", c.bytes());
        m.put("archived", c.archived());
        return m;
    }

    static void print(Output o, String root, PruneReport r, @Nullable Path backupRoot) {
        o.line("Pruning memory at " + root);
        o.line("   Strategies: " + String.join(", ", r.plan().strategies()));
        o.line("   Dry run: " + (r.dryRun() ? "yes (nothing was changed)" : "no"));
        o.line("");
        String verb = r.dryRun() ? "Would remove" : "Removed";
        o.line(verb + " " + Output.count(r.itemsRemoved()) + " item(s): " + r.itemsPruned() + " pruned, "
                + r.itemsArchived() + " archived; " + Output.size(r.bytesFreed()) + " freed");
        List<PruneReport.Row> rows = r.rows();
        if (!rows.isEmpty()) {
            Output.Table t = o.table("AGENT", "KIND", "REASON", "ITEMS", "SIZE");
            for (PruneReport.Row row : rows) {
                t.row(row.agent().name(), row.kind().label(), row.reason().value(), Output.count(row.count()),
                        Output.size(row.bytes()));
            }
            t.print();
            List<PruneCandidate> list = r.candidates();
            for (PruneCandidate c : list.subList(0, Math.min(MAX_LISTED, list.size()))) {
                o.line("     - " + c.agent() + "/" + c.kind().label() + " " + c.id() + ": " + c.detail());
            }
            if (list.size() > MAX_LISTED) {
                o.line("     … and " + (list.size() - MAX_LISTED) + " more (--json lists every item)");
            }
        }
        Map<PrunePlan.Guard, Integer> guards = new EnumMap<>(PrunePlan.Guard.class);
        r.plan().protectedItems().forEach(p -> guards.merge(p.guard(), 1, Integer::sum));
        if (!guards.isEmpty()) {
            o.line("   Kept by guards: " + guards.getOrDefault(PrunePlan.Guard.HIGH_VALUE, 0) + " high value, "
                    + guards.getOrDefault(PrunePlan.Guard.TOO_RECENT, 0) + " too recent");
        }
        if (!r.plan().undated().isEmpty()) {
            o.line("   Undated (never pruned by age): " + r.plan().undated().size());
        }
        if (r.backupId() != null) {
            o.line("   Backup: " + r.backupId() + "  (undo: aml " + root + " backup restore --backup-id "
                    + r.backupId() + (backupRoot == null ? "" : " --backup-root " + backupRoot) + ")");
        }
        for (Path a : r.archives()) {
            o.line("   Archived to: " + a);
        }
        for (String w : r.warnings()) {
            o.line("   Warning: " + w);
        }
        if (!r.errors().isEmpty()) {
            o.line("");
            o.line("Errors (" + r.errors().size() + "):");
            for (String e : r.errors()) {
                o.line("   - " + e);
            }
        }
    }
}
