package dev.aml.core.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import java.util.Objects;

/**
 * One result of a relevance query.
 *
 * @param agent the agent whose memory holds the item
 * @param item the item
 * @param score the combined score, {@code relevanceWeight · relevance + itemWeight · weight}, in [0, 1]
 * @param relevance how well the item matches the situation, in [0, 1]
 * @param weight the item's own ranking weight at query time ({@link MemoryItem#weight}), in [0, 1]
 * @param explanation why: each scorer's contribution
 */
public record ScoredItem(AgentId agent, MemoryItem item, double score, double relevance, double weight,
        Explanation explanation) {

    /** Rejects nulls. */
    public ScoredItem {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(explanation, "explanation");
    }
}
