package dev.aml.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.Decision;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.Solution;
import dev.aml.core.relevance.Explanation;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.maintenance.MemoryManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aml <path> query …}: what applies to this situation? A relevance query over patterns,
 * solutions and decisions (BM25 over their text, context similarity, fuzzy type matching, combined
 * with each item's weight). Opens the tree read-only, so it is safe beside a running writer.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the patterns, solutions and decisions that apply to a situation, best first.",
            "Read-only: safe while an application writes the tree."},
        footer = {"", "Examples:",
            "  aml .loom/memory query --text \"payment API times out under load\" --context protocol=http",
            "  aml .loom/memory query --kind solution --error java.net.SocketTimeoutException --explain",
            "  aml .loom/memory query --text \"deadlock\" --limit 3 --json | jq '.results[0].id'"})
final class QueryCommand extends LeafCommand {

    @Option(names = "--kind", paramLabel = "pattern|solution|decision",
            description = "Only this kind (default: all kinds).")
    String kind;

    @Option(names = "--agent", arity = "1..*", paramLabel = "NAME", description = "Only these agents (default: all).")
    List<String> agents = List.of();

    @Option(names = "--text", paramLabel = "TEXT", description = "Free text describing the situation.")
    String text;

    @Option(names = "--context", arity = "1..*", paramLabel = "KEY=VALUE", description = "Context of the situation.")
    Map<String, String> context = new LinkedHashMap<>();

    @Option(names = "--error", paramLabel = "TYPE", description = "Error or exception type, e.g. SocketTimeoutException.")
    String error;

    @Option(names = "--type", paramLabel = "TYPE", description = "Task or decision type, matched fuzzily.")
    String type;

    @Option(names = "--tags", arity = "1..*", paramLabel = "T", description = "Tags describing the situation.")
    List<String> tags = List.of();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Most results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--explain", description = "Show why each result scored as it did.")
    boolean explain;

    @Override
    public Integer call() {
        Situation situation = situation();
        MemoryQuery.Builder q = kind == null ? MemoryQuery.builder() : MemoryQuery.builder().kinds(kind(kind));
        if (!agents.isEmpty()) {
            q.agents(agents.toArray(new String[0]));
        }
        if (limit < 1) {
            throw new InvalidInputException("--limit must be at least 1, was " + limit);
        }
        MemoryQuery query = q.limit(limit).relevantTo(situation).build();
        try (MemoryManager aml = openManagerReadOnly()) {
            List<ScoredItem> results = aml.relevance().query(query);
            Output o = output();
            if (o.isJson()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ScoredItem r : results) {
                    rows.add(row(r));
                }
                o.json(Map.of("results", rows));
                return ExitCodes.OK;
            }
            if (results.isEmpty()) {
                o.line("No item applies to this situation.");
                return ExitCodes.OK;
            }
            for (ScoredItem r : results) {
                o.line(String.format(Locale.ROOT, "%.3f  %s  %s  %s  %s", r.score(), r.agent(), r.item().kind()
                        .label(), r.item().id(), summary(r.item())));
                if (explain) {
                    o.line(String.format(Locale.ROOT, "       relevance %.3f, weight %.3f", r.relevance(),
                            r.weight()));
                    for (String l : r.explanation().toString().split("\\R")) {
                        o.line("       " + l.strip());
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    private Situation situation() {
        if (text == null && context.isEmpty() && error == null && type == null && tags.isEmpty()) {
            throw new InvalidInputException("query needs a situation: give at least one of --text, --context,"
                    + " --error, --type or --tags");
        }
        Situation.Builder s = Situation.builder();
        if (text != null) {
            s.text(text);
        }
        if (type != null) {
            s.type(type);
        }
        if (!context.isEmpty()) {
            s.context(context);
        }
        if (error != null) {
            s.error(error, null);
        }
        if (!tags.isEmpty()) {
            s.tags(tags);
        }
        return s.build();
    }

    private static ItemKind kind(String name) {
        for (ItemKind k : ItemKind.values()) {
            if (k.label().equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new InvalidInputException("--kind must be pattern, solution or decision, was '" + name + "'");
    }

    private Map<String, Object> row(ScoredItem r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.item().id());
        m.put("agent", r.agent().name());
        m.put("kind", r.item().kind().label());
        m.put("score", r.score());
        m.put("relevance", r.relevance());
        m.put("weight", r.weight());
        m.put("summary", summary(r.item()));
        m.put("tags", r.item().tags());
        if (explain) {
            List<Map<String, Object>> cs = new ArrayList<>();
            for (Explanation.Contribution c : r.explanation().contributions()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("scorer", c.scorer());
                cm.put("score", c.score());
                cm.put("weight", c.weight());
                cm.put("share", c.share());
                cm.put("matched", c.matched());
                cm.put("terms", c.terms());
                cs.add(cm);
            }
            m.put("explanation", cs);
        }
        return m;
    }

    /** @return a one-line summary: the type and technique, the error and fix, or the question and choice */
    static String summary(MemoryItem item) {
        if (item instanceof Pattern p) {
            JsonNode t = p.pattern().tree();
            return join(t.path("type").asText(""), t.path("approach").path("technique").asText(""));
        }
        if (item instanceof Solution s) {
            return join(s.problem().tree().path("errorType").asText(""),
                    s.solution().tree().path("fixApproach").asText(""));
        }
        if (item instanceof Decision d) {
            JsonNode t = d.decision().tree();
            return join(t.path("question").asText(""), t.path("chosenOption").asText(""));
        }
        return "";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ": " + b;
    }
}
