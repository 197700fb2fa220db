package dev.aml.cli;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.maintenance.AgentMemory;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.RestoreReport;
import dev.aml.maintenance.VerifyReport;
import dev.aml.maintenance.monitor.HealthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code aml [path] demo}: creates (or reuses) a sample tree at the memory path (default
 * {@code .loom/memory} in the current directory) and walks through what AML does: three agents record
 * patterns, report outcomes that teach them success rates and confidence, and query their best
 * patterns (the second round is answered by the cache); an agent written as Loom's Python toolkit
 * would holds stale and failed items, which a dry-run prune lists with the reason, the real prune
 * removes after its backup, a verify of that backup counts, and an in-place restore brings back;
 * then the health report. Each step prints one or two lines. Running it again reuses the tree.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create (or reuse) a sample tree at the memory path (default: .loom/memory) and show",
            "record, outcome, query, a dry-run and a real prune, verify and restore of its backup, health."})
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

    /** The agent whose files the demo writes as Loom's Python toolkit would, with items to prune. */
    static final String LEGACY = "legacy";

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
        try {
            writeLegacyAgent(root, LocalDateTime.now(Clock.systemDefaultZone()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's legacy agent in " + root + ": " + e.getMessage(), e);
        }
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
            StringBuilder best = new StringBuilder();
            for (Map<String, Object> r : top) {
                if (best.indexOf((String) r.get("agent") + ": ") < 0) {
                    best.append(best.length() == 0 ? "" : "; ").append(r.get("agent")).append(": ")
                            .append(r.get("technique")).append(" (").append(Output.percent((Double) r.get(
                                    "success_rate"))).append(")");
                }
            }
            o.line("2. Best pattern per agent: " + best);
            o.line("   " + stats.queries() + " queries, average " + Output.millis(stats.avgQueryMillis())
                    + ", cache hit rate " + Output.percent(stats.cacheHitRate()) + "; 'http, success >= 60%' across"
                    + " agents: " + http.size() + " pattern(s)");
            doc.put("top_patterns", top);
            doc.put("queries", Map.of("count", stats.queries(), "avg_query_time_ms", stats.avgQueryMillis(),
                    "cache_hit_rate", stats.cacheHitRate()));
            aml.store().checkpoint();

            // 3. dry-run prune: the legacy agent's stale and failed items are proposed, nothing changes
            PruneReport plan = aml.prune(PruneConfig.defaults()).dryRun();
            List<String> why = plan.candidates().stream().map(c -> c.agent() + "/" + c.kind().label() + " " + c.id()
                    + " (" + c.reason().value() + ": " + c.detail() + ")").toList();
            o.line("3. Prune dry run: would remove " + plan.itemsRemoved() + " item(s), nothing changed");
            o.line("   " + (why.isEmpty() ? "nothing is stale or failing" : String.join("; ", why)));
            doc.put("prune_dry_run", Map.of("items_pruned", plan.itemsPruned(), "items_archived",
                    plan.itemsArchived(), "candidates", why));

            // 4. the real prune, after its automatic backup
            PruneReport pruned = aml.prune(PruneConfig.defaults()).execute();
            String backupId = Objects.requireNonNull(pruned.backupId(), "pre-prune backup");
            o.line("4. Prune: removed " + pruned.itemsRemoved() + " item(s) (" + pruned.itemsPruned() + " deleted, "
                    + pruned.itemsArchived() + " archived), " + Output.size(pruned.bytesFreed())
                    + " freed; pre-prune backup " + backupId);
            doc.put("prune", Map.of("items_removed", pruned.itemsRemoved(), "backup_id", backupId));

            // 5. verify that backup, parsing every item (a restore drill into a temporary folder)
            VerifyReport verify = aml.backups().verify(backupId, true);
            o.line("5. Verify " + backupId + ": " + (verify.ok() ? "OK" : "FAILED " + verify.problems()) + " ("
                    + verify.filesChecked() + " files, " + verify.itemsChecked() + " items checked)");
            doc.put("backup", Map.of("id", backupId));
            doc.put("verify", Map.of("ok", verify.ok(), "files_checked", verify.filesChecked(), "items_checked",
                    verify.itemsChecked(), "problems", verify.problems()));

            // 6. restore it in place: the pruned items come back
            RestoreReport restored = aml.backups().restoreInPlace(backupId);
            List<String> back = new ArrayList<>();
            for (PruneCandidate c : pruned.candidates()) {
                if (aml.store().items(c.agent(), c.kind()).stream().anyMatch(i -> i.id().equals(c.id()))) {
                    back.add(c.agent() + "/" + c.kind().label() + " " + c.id());
                }
            }
            o.line("6. Restore " + backupId + " in place: " + back.size() + " of " + pruned.itemsRemoved()
                    + " pruned item(s) back (" + String.join(", ", back) + "); safety backup "
                    + restored.safetyBackupId());
            doc.put("restore", Map.of("backup_id", backupId, "items_back", back, "safety_backup_id",
                    String.valueOf(restored.safetyBackupId())));

            // 7. health (also records this process's live query counters for later 'monitor' runs)
            HealthReport health = aml.monitor().health();
            List<String> notes = new ArrayList<>(health.errors());
            notes.addAll(health.warnings());
            o.line("7. Health: " + health.status().name() + " (" + health.passed() + "/" + health.checks().size()
                    + " checks passed)" + (notes.isEmpty() ? "" : "; " + notes.get(0)
                    + (notes.size() > 1 ? " (+" + (notes.size() - 1) + " more)" : "")));
            doc.put("health", health.toLoomShape());
            o.line("");
            o.line("Next: aml " + root + " monitor health | monitor report | jq '.performance' | backup list | auto"
                    + " --dry-run");
            if (o.isJson()) {
                doc.put("root", root.toAbsolutePath().toString());
                o.json(doc);
            }
            return verify.ok() && back.size() == pruned.itemsRemoved() ? ExitCodes.OK : ExitCodes.DATA;
        }
    }

    /**
     * Writes the files of agent {@value #LEGACY} as Loom's Python toolkit leaves them (naive timestamps,
     * one with a space, {@code "worked": 0}): a pattern unused for 120 days, a solution that did not
     * work and a decision of 200 days ago, which the prune proposes, and a fresh pattern it keeps.
     */
    static void writeLegacyAgent(Path root, LocalDateTime now) throws IOException {
        Path dir = root.resolve(LEGACY);
        if (Files.exists(dir.resolve("patterns.json"))) {
            return;
        }
        Files.createDirectories(dir);
        String old = now.minusDays(120).withNano(0).toString();
        String spaced = now.minusDays(2).withNano(0).toString().replace('T', ' ');
        Files.writeString(dir.resolve("patterns.json"), """
                [
                  {"id": "legacy-deploy-friday", "agent": "legacy", "timestamp": "%1$s",
                   "pattern": {"type": "deploy", "approach": {"technique": "deploy on Friday afternoon"}},
                   "metrics": {"successRate": 0.9, "executionCount": 5},
                   "evolution": {"created": "%1$s", "lastUsed": "%1$s"}, "tags": ["deploy"], "active": true},
                  {"id": "legacy-canary", "agent": "legacy", "timestamp": "%2$s",
                   "pattern": {"type": "deploy", "approach": {"technique": "canary release"}},
                   "metrics": {"successRate": 0.8, "executionCount": 4},
                   "evolution": {"created": "%2$s", "lastUsed": "%2$s"}, "tags": ["deploy"], "active": true}
                ]""".formatted(old, spaced));
        Files.writeString(dir.resolve("solutions.json"), """
                [{"id": "legacy-clear-cache", "agent": "legacy", "timestamp": "%s",
                  "problem": {"error": "stale assets"}, "solution": {"fix": "clear the CDN cache"},
                  "effectiveness": {"worked": 0}, "tags": ["deploy"]}]""".formatted(spaced));
        Files.writeString(dir.resolve("decisions.json"), """
                [{"id": "legacy-monolith", "agent": "legacy", "timestamp": "%s",
                  "decision": {"choice": "stay a monolith"}, "outcome": {"wouldRepeat": 1}}]"""
                .formatted(now.minusDays(200).withNano(0)));
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
