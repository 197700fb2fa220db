package dev.aml.maintenance.internal.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.ItemKind;
import dev.aml.maintenance.SchemaVersion;
import java.util.Map;
import java.util.Set;

/**
 * 1.2.0 → 2.0.0 (breaking). Patterns are rebuilt into Loom's 2.0.0 shape: {@code id, agent,
 * timestamp, version: "2.0.0", pattern, tags, active, performance {success_rate, execution_count,
 * avg_time_saved_ms, error_prevention_count}, lifecycle {created_at, last_used_at,
 * refinement_count, confidence}, metadata}, with Loom's defaults (0.5 / 0 / 0 / 0, confidence 0.5,
 * created and last used default to the timestamp). {@code id}, {@code timestamp} and
 * {@code pattern} are required; a missing {@code agent} is the agent folder's name.
 *
 * <p>Unlike Loom, nothing is dropped: unknown fields of {@code metrics} and {@code evolution} move
 * into {@code performance} and {@code lifecycle}, and every other top-level field (including
 * {@code variations} and custom fields) is kept after the 2.0.0 fields. Solutions and decisions
 * get {@code version: "2.0.0"} and, when missing, {@code metadata {"version", "migrated_at"}}.
 * A pattern that already says {@code "version": "2.0.0"} is returned unchanged.
 */
final class ReshapeTo200Step implements MigrationStep {

    private static final Set<String> REBUILT = Set.of("id", "agent", "timestamp", "version", "pattern", "tags",
            "active", "metrics", "evolution", "metadata", "performance", "lifecycle");

    @Override
    public SchemaVersion from() {
        return SchemaVersion.V1_2_0;
    }

    @Override
    public SchemaVersion to() {
        return SchemaVersion.V2_0_0;
    }

    @Override
    public ObjectNode apply(ItemKind kind, ObjectNode item, String agentFolder, String now) {
        if ("2.0.0".equals(item.path("version").asText(null))) {
            return item.deepCopy();
        }
        if (kind != ItemKind.PATTERN) {
            ObjectNode out = item.deepCopy();
            out.put("version", "2.0.0");
            if (!out.has("metadata")) {
                ObjectNode m = out.putObject("metadata");
                m.put("version", "2.0.0");
                m.put("migrated_at", now);
            }
            return out;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.set("id", required(item, "id"));
        out.set("agent", item.has("agent") ? item.get("agent") : f.textNode(agentFolder));
        JsonNode timestamp = required(item, "timestamp");
        out.set("timestamp", timestamp);
        out.put("version", "2.0.0");
        out.set("pattern", required(item, "pattern"));
        out.set("tags", item.has("tags") ? item.get("tags") : f.arrayNode());
        out.set("active", item.has("active") ? item.get("active") : f.booleanNode(true));
        JsonNode metrics = item.path("metrics");
        ObjectNode performance = out.putObject("performance");
        performance.set("success_rate", or(metrics, "successRate", f.numberNode(0.5)));
        performance.set("execution_count", or(metrics, "executionCount", f.numberNode(0)));
        performance.set("avg_time_saved_ms", or(metrics, "avgTimeSavedMs", f.numberNode(0)));
        performance.set("error_prevention_count", or(metrics, "errorPreventionCount", f.numberNode(0)));
        keepOthers(metrics, performance, Set.of("successRate", "executionCount", "avgTimeSavedMs",
                "errorPreventionCount"));
        JsonNode evolution = item.path("evolution");
        ObjectNode lifecycle = out.putObject("lifecycle");
        lifecycle.set("created_at", or(evolution, "created", timestamp));
        lifecycle.set("last_used_at", or(evolution, "lastUsed", timestamp));
        lifecycle.set("refinement_count", or(evolution, "refinements", f.numberNode(0)));
        lifecycle.set("confidence", or(evolution, "confidenceScore", f.numberNode(0.5)));
        keepOthers(evolution, lifecycle, Set.of("created", "lastUsed", "refinements", "confidenceScore"));
        if (item.get("metadata") instanceof ObjectNode metadata) {
            out.set("metadata", metadata.deepCopy());
        } else {
            ObjectNode m = out.putObject("metadata");
            m.put("version", "2.0.0");
            m.put("migrated_at", now);
        }
        for (Map.Entry<String, JsonNode> e : item.properties()) {
            if (!REBUILT.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    private static JsonNode required(ObjectNode item, String field) {
        JsonNode v = item.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("the pattern has no '" + field + "', which the 2.0.0 shape requires");
        }
        return v.deepCopy();
    }

    private static JsonNode or(JsonNode obj, String field, JsonNode fallback) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? fallback : v.deepCopy();
    }

    private static void keepOthers(JsonNode from, ObjectNode to, Set<String> mapped) {
        if (from instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (!mapped.contains(e.getKey()) && !to.has(e.getKey())) {
                    to.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
    }
}
