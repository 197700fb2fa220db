package dev.aml.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.Decision;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.core.relevance.ScoredItem;
import java.util.List;
import java.util.Locale;

/**
 * The compact text a model sees of AML's memory: one line per item, best first, so a prompt holds
 * the top items in a few hundred characters and the model can name an item back by its id.
 *
 * <pre>
 * Relevant memory (AML), best first; cite an id to record its outcome:
 * 1. pattern 5e3c…-…: api-call: exponential backoff (transient faults clear up) [success 92% of 12 runs, confidence 0.80]
 * 2. solution 77a1…-…: java.net.SocketTimeoutException "Read timed out" -&gt; retry with backoff (cause: no retry) [worked, verified 3 times]
 * 3. decision 0b9f…-…: database: which store? -&gt; postgres (fleet of hosts) [success 100% of 1 runs]
 * </pre>
 *
 * <p>Fields, in order: rank, kind, full id, the item's gist (pattern: {@code type: technique
 * (rationale)}; solution: {@code errorType "message" -> fix (cause: rootCause)}; decision:
 * {@code type: question -> chosen (rationale)}), then its record in brackets: success rate and runs,
 * confidence for patterns. Every text is cut at {@value #MAX_FIELD} characters and line breaks are
 * flattened, so one item never takes more than one line. With no items the brief is
 * {@value #NOTHING}.
 */
public final class MemoryBrief {

    /** The brief when nothing is relevant. */
    public static final String NOTHING = "No relevant memory (AML) for this.";
    /** The first line of a non-empty brief. */
    public static final String HEADER = "Relevant memory (AML), best first; cite an id to record its outcome:";
    /** Longest text of one field, in characters. */
    public static final int MAX_FIELD = 160;

    private MemoryBrief() {
    }

    /**
     * @param items scored items, best first
     * @return the brief: {@link #HEADER} and one numbered line per item, or {@link #NOTHING}
     */
    public static String of(List<ScoredItem> items) {
        if (items.isEmpty()) {
            return NOTHING;
        }
        StringBuilder b = new StringBuilder(HEADER);
        int rank = 1;
        for (ScoredItem s : items) {
            b.append('\n').append(rank++).append(". ").append(line(s.item()));
        }
        return b.toString();
    }

    /**
     * @param item an item
     * @return its line without the rank: {@code kind id: gist [record]}
     */
    public static String line(MemoryItem item) {
        return item.kind().label() + " " + item.id() + ": " + gist(item) + " [" + record(item) + "]";
    }

    /**
     * @param item an item
     * @return what it says, in one short line
     */
    public static String gist(MemoryItem item) {
        if (item instanceof Pattern p) {
            JsonNode body = tree(p.pattern());
            String rationale = text(body.path("approach").path("rationale"));
            return text(body.path("type")) + ": " + text(body.path("approach").path("technique"))
                    + (rationale.isEmpty() ? "" : " (" + rationale + ")");
        }
        if (item instanceof Solution s) {
            JsonNode problem = tree(s.problem());
            JsonNode fix = tree(s.solution());
            String cause = text(fix.path("rootCause"));
            String message = text(problem.path("errorMessage"));
            return text(problem.path("errorType")) + (message.isEmpty() ? "" : " \"" + message + "\"") + " -> "
                    + text(fix.path("fixApproach")) + (cause.isEmpty() ? "" : " (cause: " + cause + ")");
        }
        Decision d = (Decision) item;
        JsonNode body = tree(d.decision());
        String rationale = text(body.path("rationale"));
        return text(body.path("type")) + ": " + text(body.path("question")) + " -> " + text(body.path("chosenOption"))
                + (rationale.isEmpty() ? "" : " (" + rationale + ")");
    }

    /**
     * @param item an item
     * @return its record: success rate and runs, and the confidence of a pattern
     */
    public static String record(MemoryItem item) {
        if (item instanceof Solution s) {
            return (s.successRate() >= 1 ? "worked" : "did not work") + ", verified " + s.executionCount() + " times";
        }
        String base = String.format(Locale.ROOT, "success %d%% of %d runs", Math.round(item.successRate() * 100),
                item.executionCount());
        return item instanceof Pattern ? base + String.format(Locale.ROOT, ", confidence %.2f", item.confidence())
                : base;
    }

    private static JsonNode tree(RawJson json) {
        return json.tree();
    }

    private static String text(JsonNode node) {
        String t = node.isValueNode() ? node.asText() : "";
        t = t.replaceAll("\\s+", " ").strip();
        return t.length() > MAX_FIELD ? t.substring(0, MAX_FIELD - 1) + "…" : t;
    }
}
