package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.util.Objects;

/**
 * One item a strategy proposes to remove, with the reason and the facts behind it. Candidates are
 * made by {@link PruneContext#candidate}, which fills in the facts from the item.
 *
 * @param agent the agent
 * @param kind the item's kind
 * @param id the item's id (may be empty for items other tools wrote without one)
 * @param position the item's index in the agent's list of that kind, at planning time
 * @param reason why it is proposed
 * @param strategy the name of the strategy that proposed it
 * @param detail a short human explanation, e.g. {@code "unused 120 d > 90 d"}
 * @param ageDays whole days since the item was last used, or {@code -1} when it has no date
 * @param successRate the item's success rate
 * @param confidence the item's confidence
 * @param executionCount the item's execution count
 * @param value the item's value score ({@link dev.aml.core.MemoryItem#value()})
 * @param bytes the item's serialized size in bytes, counted as freed when it is removed
 */
public record PruneCandidate(AgentId agent, ItemKind kind, String id, int position, PruneReason reason,
        String strategy, String detail, long ageDays, double successRate, double confidence, long executionCount,
        double value, long bytes) {

    /** Rejects nulls and negative positions or sizes. */
    public PruneCandidate {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(detail, "detail");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
    }

    /**
     * Decisions are archived ({@code memory-backup/archives/<agent>/…json.gz}) before they leave the
     * live files; patterns and solutions are only in the pre-prune backup.
     *
     * @return whether removing this item archives it
     */
    public boolean archived() {
        return kind == ItemKind.DECISION;
    }

    /** @return whether the item has a date the age rules could use */
    public boolean dated() {
        return ageDays >= 0;
    }
}
