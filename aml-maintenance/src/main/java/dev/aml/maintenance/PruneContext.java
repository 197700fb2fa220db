package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a {@link PruneStrategy} sees of one agent while a plan is made: a consistent snapshot of
 * its items, the configuration, the clock's "now", sizes, and what earlier strategies proposed.
 * A context is only valid during the {@link PruneStrategy#propose} call it is passed to.
 */
public interface PruneContext {

    /** @return the agent being planned */
    AgentId agent();

    /** @return the configuration of this prune */
    PruneConfig config();

    /** @return the instant the plan is made at (from the injected clock) */
    Instant now();

    /**
     * @param kind a kind
     * @return the agent's items of that kind, in file order (positions are list indexes)
     */
    List<MemoryItem> items(ItemKind kind);

    /**
     * Whole days, floored, since the item was last used ({@link MemoryItem#lastUsed()}), the
     * reference's age rule.
     *
     * @param item an item
     * @return the age, or empty when the item has no date (such items are never pruned by age)
     */
    OptionalLong ageDays(MemoryItem item);

    /**
     * @param kind the kind
     * @param position the index in {@link #items(ItemKind)}
     * @return whether an earlier strategy of this plan already proposed that item
     */
    boolean alreadyProposed(ItemKind kind, int position);

    /**
     * @param item an item
     * @return whether the planner's guards (high value, too recent) will keep the item whatever is
     *     proposed; strategies that work towards a target size skip such items
     */
    boolean isProtected(MemoryItem item);

    /**
     * @param item an item
     * @return its serialized size in bytes
     */
    long bytes(MemoryItem item);

    /**
     * @return the agent's size at rest in bytes: the files under its folder when the store has a
     *     directory, else the sum of its items' serialized sizes
     */
    long agentBytes();

    /** @return the whole memory's size at rest in bytes, measured like {@link #agentBytes()} */
    long globalBytes();

    /** @return bytes of this agent's items already proposed by earlier strategies */
    long bytesProposed();

    /**
     * Makes a candidate for the item at {@code position}, filling in its id and facts.
     *
     * @param kind the kind
     * @param position the index in {@link #items(ItemKind)}
     * @param reason why
     * @param detail a short human explanation
     * @return the candidate
     * @throws IndexOutOfBoundsException if there is no item at that position
     */
    PruneCandidate candidate(ItemKind kind, int position, PruneReason reason, String detail);
}
