package dev.aml.cli;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.maintenance.AgentMemory;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.VerifyReport;
import dev.aml.maintenance.monitor.HealthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code aml [path] demo}: creates (or reuses) a sample tree at the memory path (default
 * {@code .loom/memory} in the current directory) and walks through what AML does: three agents record
 * patterns, report outcomes that teach them success rates and confidence, and query their best
 * patterns (the second round is answered by the cache); then a health check, a dry-run prune, a
 * backup and its verification. Running it again reuses the tree and adds more outcomes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create (or reuse) a sample tree at the memory path (default: .loom/memory) and show",
            "record, outcome, query, health, a dry-run prune, a backup and its verification."})
final class DemoCommand extends LeafCommand {

    private record Sample(String agent, String type, String technique, String rationale, String tag, int wins,
            int losses) {
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample("coder", "retry", "exponential backoff with jitter", "transient HTTP faults clear", "http", 9,
                    1),
            new Sample("coder", "testing", "write the failing test first", "pins the bug before the fix", "tests", 6,
                    2),
            new Sample("coder", "retry", "retry immediately, forever", "it worked once", "http", 1, 7),
            new Sample("reviewer", "review", "read the tests before the diff", "tests state the intent", "review", 7,
                    1),
            new Sample("reviewer", "review", "flag every TODO", "TODOs hide unfinished work", "review", 3, 3),
            new Sample("planner", "planning", "split work into one-day tasks", "small steps ship", "planning", 5,
                    1));

    /** Rounds of the sample agent loop's queries. */
    static final int QUERY_ROUNDS = 10;

    @Override
    public Integer call() {
        Path root = memoryPath();
        boolean existed = Files.isDirectory(root);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo tree " + root + ": " + e.getMessage(), e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        Output o = output();
        o.line("🧪 AML demo on " + root.toAbsolutePath() + (existed ? " (reusing the tree)" : " (new tree)"));
        o.line("");
        try (MemoryManager aml = openManager()) {
            // 1. record (once per tree) and learn from outcomes (every run)
            int recorded = 0;
            int outcomes = 0;
            for (Sample s : SAMPLES) {
                AgentMemory agent = aml.agent(s.agent());
                Pattern p = find(agent, s.technique());
                if (p == null) {
                    p = agent.patterns().record(PatternDraft.of(s.type(), Map.of("tag", s.tag()))
                            .approach(s.technique(), s.rationale()).tags(s.tag()));
                    recorded++;
                }
                for (int i = 0; i < s.wins() + s.losses(); i++) {
                    boolean win = i % (s.wins() + s.losses()) < s.wins();
                    agent.patterns().recordOutcome(p.id(), win ? Outcome.success(Duration.ofMillis(200))
                            : Outcome.failure());
                    outcomes++;
                }
            }
            o.line("1. Recorded " + recorded + " new patterns for coder, reviewer and planner; learned from "
                    + outcomes + " outcomes");
            doc.put("recorded", recorded);
            doc.put("outcomes", outcomes);

            // 2. query: an agent loop asks the same questions on every step, so after the first round the
            //    answers come from the cache (until an outcome changes the agent's memory)
            List<Map<String, Object>> top = new ArrayList<>();
            for (int round = 0; round < QUERY_ROUNDS; round++) {
                for (String agent : List.of("coder", "reviewer", "planner")) {
                    List<Pattern> best = aml.agent(agent).patterns().query(MemoryQuery.patterns().rankBy(Rank.WEIGHT)
                            .limit(3));
                    if (round == 0) {
                        for (Pattern p : best) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("agent", agent);
                            row.put("technique", p.pattern().tree().path("approach").path("technique").asText());
                            row.put("success_rate", p.successRate());
                            row.put("confidence", p.confidence());
                            row.put("executions", p.executionCount());
                            top.add(row);
                        }
                    }
                }
            }
            List<MemoryItem> http = aml.query(MemoryQuery.patterns().tags("http").minSuccessRate(0.6).limit(5));
            QueryStats stats = aml.queryStats();
            o.line("2. Top patterns by weight (success rate, confidence, recency, usage):");
            Output.Table t = o.table("Agent", "Pattern", "Success", "Confidence", "Runs");
            top.forEach(r -> t.row(r.get("agent"), r.get("technique"), Output.percent((Double) r.get("success_rate")),
                    String.format(Locale.ROOT, "%.2f", (Double) r.get("confidence")), r.get("executions")));
            if (!o.isJson()) {
                t.print();
            }
            o.line("   Cross-agent query 'http, success >= 60%': " + http.size() + " pattern(s)");
            o.line("   Queries: " + stats.queries() + ", average " + Output.millis(stats.avgQueryMillis())
                    + ", cache hit rate " + Output.percent(stats.cacheHitRate()));
            doc.put("top_patterns", top);
            doc.put("queries", Map.of("count", stats.queries(), "avg_query_time_ms", stats.avgQueryMillis(),
                    "cache_hit_rate", stats.cacheHitRate()));
            aml.store().checkpoint();

            // 3. health (records this process's live query counters for later 'monitor' runs)
            HealthReport health = aml.monitor().health();
            o.line("3. Health: " + health.status().name() + " (" + health.passed() + "/" + health.checks().size()
                    + " checks passed)");
            health.warnings().forEach(w -> o.line("   - " + w));
            health.errors().forEach(e -> o.line("   - " + e));
            doc.put("health", health.toLoomShape());

            // 4. dry-run prune: nothing changes
            PruneReport plan = aml.prune(PruneConfig.defaults()).dryRun();
            o.line("4. Prune (dry run, time_based + performance_based): would prune " + plan.itemsPruned()
                    + " item(s), archive " + plan.itemsArchived() + "; nothing changed");
            plan.candidates().stream().limit(5).forEach(c -> o.line("   - " + c));
            doc.put("prune_dry_run", Map.of("items_pruned", plan.itemsPruned(), "items_archived",
                    plan.itemsArchived()));

            // 5. backup and verify
            BackupInfo backup = aml.backups().createFull("Demo backup");
            VerifyReport verify = aml.backups().verify(backup.id(), false);
            o.line("5. Backup " + backup.id() + ": " + backup.fileCount() + " files, " + Output.size(
                    backup.totalSizeBytes()) + " at " + backup.path());
            o.line("6. Verify " + backup.id() + ": " + (verify.ok() ? "OK" : "FAILED " + verify.problems()) + " ("
                    + verify.filesChecked() + " files, " + verify.itemsChecked() + " items checked)");
            doc.put("backup", Map.of("id", backup.id(), "files", backup.fileCount(), "size_bytes",
                    backup.totalSizeBytes(), "path", backup.path().toString()));
            doc.put("verify", Map.of("ok", verify.ok(), "files_checked", verify.filesChecked(), "problems",
                    verify.problems()));
            o.line("");
            o.line("Next: aml " + root + " monitor health | monitor report | jq '.performance' | backup list | auto"
                    + " --dry-run");
            if (o.isJson()) {
                doc.put("root", root.toAbsolutePath().toString());
                o.json(doc);
            }
            return verify.ok() ? ExitCodes.OK : ExitCodes.DATA;
        }
    }

    private static @Nullable Pattern find(AgentMemory agent, String technique) {
        for (MemoryItem item : agent.patterns().query(MemoryQuery.patterns().activeOnly(false)
                .limit(MemoryQuery.DEFAULT_LIMIT))) {
            if (item instanceof Pattern p && item.kind() == ItemKind.PATTERN
                    && technique.equals(p.pattern().tree().path("approach").path("technique").asText())) {
                return p;
            }
        }
        return null;
    }
}
