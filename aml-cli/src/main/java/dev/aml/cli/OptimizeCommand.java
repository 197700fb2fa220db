package dev.aml.cli;

import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.OptimizeReport;
import dev.aml.maintenance.Optimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aml <path> optimize all|compress|index|warm-cache|gc}. Every operation honours
 * {@code --dry-run}. Exit 0 when the operation completed, 65 when part of it was stopped (an
 * unreadable agent or file, which is reported and never touched), 73 when another maintenance
 * operation holds the tree.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {OptimizeCommand.All.class, OptimizeCommand.Compress.class, OptimizeCommand.Index.class, OptimizeCommand.WarmCache.class, OptimizeCommand.Gc.class},
        description = "Compress, rebuild the index, warm the cache, collect garbage.")
final class OptimizeCommand {

    /** Most change lines the text output lists before pointing at --json. */
    static final int MAX_LISTED = 20;

    private OptimizeCommand() {
    }

    /** Base of the operations: opens the memory, runs one operation, prints its report. */
    abstract static class Operation extends LeafCommand {
        @Option(names = "--dry-run", description = "Report what would change; change nothing.")
        boolean dryRun;

        abstract OptimizeReport run(Optimizer optimizer);

        @Override
        public Integer call() {
            Output o = output();
            try (MemoryManager aml = dryRun ? openManagerReadOnly() : openManager()) {
                Optimizer optimizer = dryRun ? aml.optimize().dryRun() : aml.optimize();
                OptimizeReport r = run(optimizer);
                if (o.isJson()) {
                    o.json(document(r));
                } else {
                    print(o, r, "");
                }
                return r.ok() ? ExitCodes.OK : ExitCodes.DATA;
            }
        }
    }

    /** {@code all}. */
    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "gc, compress (30 days), index, warm-cache, in that order.")
    static final class All extends Operation {
        @Override
        OptimizeReport run(Optimizer optimizer) {
            return optimizer.all();
        }
    }

    /** {@code compress}. */
    @Command(name = "compress", mixinStandardHelpOptions = true,
            description = "Gzip item files not modified for N days (0 = every file); global/, config/ and"
                    + " monitoring/ are never touched.")
    static final class Compress extends Operation {
        @Option(names = "--age-days", defaultValue = "30", description = "Age in days; 0 = all (default: ${DEFAULT-VALUE}).")
        int ageDays;

        @Override
        OptimizeReport run(Optimizer optimizer) {
            return optimizer.compress(ageDays);
        }
    }

    /** {@code index}. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Rebuild the query index, global/index.json and the bloom filter.")
    static final class Index extends Operation {
        @Override
        OptimizeReport run(Optimizer optimizer) {
            return optimizer.rebuildIndex();
        }
    }

    /** {@code warm-cache}. */
    @Command(name = "warm-cache", mixinStandardHelpOptions = true,
            description = "Preload the queries most likely to be asked (confidence and success >= 0.7).")
    static final class WarmCache extends Operation {
        @Override
        OptimizeReport run(Optimizer optimizer) {
            return optimizer.warmCache();
        }
    }

    /** {@code gc}. */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove duplicate ids, invalid items and stale temp files; never deletes unreadable files.")
    static final class Gc extends Operation {
        @Option(names = "--merge-duplicates",
                description = "Merge patterns with the same body into one (metrics combined, tags united).")
        boolean mergeDuplicates;

        @Override
        OptimizeReport run(Optimizer optimizer) {
            return optimizer.gc(mergeDuplicates);
        }
    }

    static Map<String, Object> document(OptimizeReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("operation", r.operation());
        doc.put("dry_run", r.dryRun());
        doc.put("bytes_before", r.bytesBefore());
        doc.put("bytes_after", r.bytesAfter());
        doc.put("duration_ms", r.durationMillis());
        doc.put("counts", r.counts());
        doc.put("changes", r.changes());
        doc.put("errors", r.errors());
        if (!r.steps().isEmpty()) {
            Function<OptimizeReport, Map<String, Object>> step = OptimizeCommand::document;
            doc.put("steps", r.steps().stream().map(step).toList());
        }
        return doc;
    }

    static void print(Output o, OptimizeReport r, String indent) {
        o.line(indent + title(r.operation()) + (r.dryRun() ? " (dry run: nothing was changed)" : ""));
        if (!r.steps().isEmpty()) {
            for (OptimizeReport s : r.steps()) {
                print(o, s, indent + "   ");
            }
            o.line(indent + "Size: " + Output.size(r.bytesBefore()) + " -> " + Output.size(r.bytesAfter()));
            return;
        }
        for (Map.Entry<String, Long> e : r.counts().entrySet()) {
            o.line(indent + "   " + e.getKey().replace('_', ' ') + ": " + Output.count(e.getValue()));
        }
        o.line(indent + "   size: " + Output.size(r.bytesBefore()) + " -> " + Output.size(r.bytesAfter()));
        List<String> changes = r.changes();
        for (String c : changes.subList(0, Math.min(MAX_LISTED, changes.size()))) {
            o.line(indent + "     - " + c);
        }
        if (changes.size() > MAX_LISTED) {
            o.line(indent + "     … and " + (changes.size() - MAX_LISTED) + " more (--json lists all)");
        }
        for (String e : r.errors()) {
            o.line(indent + "   Error: " + e);
        }
    }

    private static String title(String operation) {
        return switch (operation) {
            case "gc" -> "Garbage collection";
            case "compress" -> "Compression";
            case "index" -> "Index rebuild";
            case "warm-cache" -> "Cache warming";
            case "all" -> "Full optimization (gc, compress, index, warm-cache)";
            default -> operation;
        };
    }
}
