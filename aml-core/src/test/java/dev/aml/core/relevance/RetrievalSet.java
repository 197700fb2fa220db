package dev.aml.core.relevance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labelled retrieval set under {@code src/test/resources/relevance/retrieval-set.json}: 300
 * Loom-shaped items of 12 domains and 145 queries phrased differently from the items, each with the
 * ids of the items that answer it; plus recall@k and MRR. Public (in aml-core's test-jar) so the
 * semantic and hybrid evaluations in aml-embeddings use the same data and metric code.
 */
public final class RetrievalSet {

    /** The time the set's items are ranked at. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** One labelled query. @param id its id @param situation the situation @param relevant ids that answer it */
    public record Query(String id, Situation situation, Set<String> relevant) {
    }

    /** Quality of a run. @param recallAt5 mean share of relevant ids in the top 5 @param mrr mean reciprocal rank */
    public record Quality(double recallAt5, double mrr) {
    }

    private final List<Map.Entry<AgentId, MemoryItem>> items;
    private final List<Query> queries;

    private RetrievalSet(List<Map.Entry<AgentId, MemoryItem>> items, List<Query> queries) {
        this.items = items;
        this.queries = queries;
    }

    /** @return the set, loaded from the class path */
    public static RetrievalSet load() {
        try (InputStream in = RetrievalSet.class.getResourceAsStream("/relevance/retrieval-set.json")) {
            if (in == null) {
                throw new IllegalStateException("relevance/retrieval-set.json is not on the class path");
            }
            JsonNode doc = new ObjectMapper().readTree(in);
            List<Map.Entry<AgentId, MemoryItem>> items = new ArrayList<>();
            for (JsonNode i : doc.get("items")) {
                items.add(Map.entry(AgentId.of(i.get("agent").asText()), item(i)));
            }
            List<Query> queries = new ArrayList<>();
            for (JsonNode q : doc.get("queries")) {
                Situation.Builder s = Situation.builder().text(q.get("text").asText());
                if (q.has("context")) {
                    s.context(map(q.get("context")));
                }
                if (q.has("errorType")) {
                    s.error(q.get("errorType").asText(), null);
                }
                List<String> rel = new ArrayList<>();
                q.get("relevant").forEach(r -> rel.add(r.asText()));
                queries.add(new Query(q.get("id").asText(), s.build(), Set.copyOf(rel)));
            }
            return new RetrievalSet(List.copyOf(items), List.copyOf(queries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> map(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static MemoryItem item(JsonNode i) {
        String id = i.get("id").asText();
        String agent = i.get("agent").asText();
        List<String> tags = strings(i.get("tags"));
        switch (i.get("kind").asText()) {
            case "pattern": {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("type", i.get("type").asText());
                body.put("context", map(i.get("context")));
                body.put("approach", Map.of("technique", i.get("technique").asText(), "rationale",
                        i.get("rationale").asText()));
                body.put("conditions", Map.of("whenApplicable", List.of(), "whenNotApplicable", List.of()));
                double sr = i.get("successRate").asDouble();
                return new Pattern(id, agent, NOW.minusSeconds(86_400L * 10), RawJson.of(body),
                        new PatternMetrics(sr, i.get("executions").asLong(), 0, 0, RawJson.emptyObject()),
                        new Evolution(NOW.minusSeconds(86_400L * 10), NOW.minusSeconds(86_400L * 2), 1, sr,
                                RawJson.emptyObject()), tags, true, RawJson.emptyObject());
            }
            case "solution": {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("errorType", i.get("errorType").asText());
                problem.put("errorMessage", i.get("errorMessage").asText());
                problem.put("context", map(i.get("context")));
                Map<String, Object> fix = new LinkedHashMap<>();
                fix.put("rootCause", i.get("rootCause").asText());
                fix.put("fixApproach", i.get("fixApproach").asText());
                boolean worked = i.get("worked").asBoolean();
                return new Solution(id, agent, NOW.minusSeconds(86_400L * 20), RawJson.of(problem), RawJson.of(fix),
                        new Effectiveness(worked, 30, worked ? 1 : 0, 0, RawJson.emptyObject()), tags, true, 1,
                        RawJson.emptyObject());
            }
            default: {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("type", i.get("type").asText());
                body.put("question", i.get("question").asText());
                body.put("context", map(i.get("context")));
                body.put("chosenOption", i.get("chosenOption").asText());
                body.put("alternativesConsidered", List.of());
                body.put("rationale", i.get("rationale").asText());
                return new Decision(id, agent, NOW.minusSeconds(86_400L * 30), RawJson.of(body),
                        DecisionOutcome.of(i.get("wouldRepeat").asBoolean()), tags, true, NOW,
                        RawJson.emptyObject());
            }
        }
    }

    /** @return the items with their agents */
    public List<Map.Entry<AgentId, MemoryItem>> items() {
        return items;
    }

    /** @return the queries */
    public List<Query> queries() {
        return queries;
    }

    /** @return an in-memory store holding every item */
    public MemoryStore store() {
        MemoryStore s = MemoryStore.inMemory();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<AgentId, MemoryItem> e : items) {
            changes.add(Change.upsert(e.getKey(), e.getValue()));
        }
        s.apply(changes);
        return s;
    }

    /**
     * Runs every query (all kinds and agents, top 10) and measures the ranking.
     *
     * @param r the retrieval over {@link #store()}
     * @return recall@5 and MRR (reciprocal rank of the first relevant result, 0 if none in the top 10)
     */
    public Quality evaluate(Retrieval r) {
        double recall = 0;
        double mrr = 0;
        MemoryQuery all = MemoryQuery.builder().limit(10).build();
        for (Query q : queries) {
            List<ScoredItem> got = r.query(all, q.situation());
            int found = 0;
            double rr = 0;
            for (int rank = 0; rank < got.size(); rank++) {
                boolean rel = q.relevant().contains(got.get(rank).item().id());
                if (rel && rank < 5) {
                    found++;
                }
                if (rel && rr == 0) {
                    rr = 1.0 / (rank + 1);
                }
            }
            recall += (double) found / Math.min(5, q.relevant().size());
            mrr += rr;
        }
        return new Quality(recall / queries.size(), mrr / queries.size());
    }
}
