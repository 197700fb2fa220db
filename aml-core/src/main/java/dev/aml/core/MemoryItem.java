package dev.aml.core;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One thing an agent learned: a {@link Pattern}, a {@link Solution} or a {@link Decision}.
 *
 * <p>Items are immutable values. Besides their own fields every kind answers the same questions
 * (success rate, confidence, executions, weight), so queries, ranking and pruning treat all kinds
 * alike. {@link #extra()} holds the item's top-level fields AML does not model, written back verbatim.
 *
 * <p>Items read from files other tools wrote may lack an id, agent or timestamp: {@link #id()} and
 * {@link #agent()} are then empty strings and {@link #timestamp()} is {@code null}. Garbage
 * collection reports and removes such items; nothing else does.
 */
public sealed interface MemoryItem permits Pattern, Solution, Decision {

    /** @return the item's id (a UUID for items AML creates), empty if the file had none */
    String id();

    /** @return the {@code agent} field of the item, empty if the file had none */
    String agent();

    /** @return when the item was recorded, {@code null} if the file had no parseable timestamp */
    @Nullable Instant timestamp();

    /** @return the item's tags, never {@code null} */
    List<String> tags();

    /** @return whether the item is active (Loom's {@code active ?? true}) */
    boolean active();

    /** @return the top-level fields AML does not model, as a JSON object */
    RawJson extra();

    /** @return which kind of item this is */
    ItemKind kind();

    /**
     * @return when the item was last used: the pattern's {@code evolution.lastUsed}, else the
     *     timestamp (Loom's pruning rule); {@code null} when neither is known
     */
    @Nullable Instant lastUsed();

    /** @return the success rate in [0, 1], derived per kind (see each record) */
    double successRate();

    /** @return the confidence in [0, 1], derived per kind (see each record) */
    double confidence();

    /** @return how often the item was used */
    long executionCount();

    /**
     * @param now the current instant
     * @return the ranking weight of the item's kind (Loom's {@code calculateWeight}), in [0, 1]
     */
    double weight(Instant now);

    /**
     * @return the value score space-based pruning and high-value preservation use, in [0, 1]
     *     (see {@link Learning#valueScore})
     */
    double value();

    /**
     * @param text text to look for, case-insensitively
     * @return whether the item's body (the pattern, problem/solution or decision) contains it
     */
    boolean bodyContains(String text);

    /**
     * @param active the new active flag
     * @return a copy of this item with that flag
     */
    MemoryItem withActive(boolean active);

    /**
     * @param tags the new tags
     * @return a copy of this item with those tags
     */
    MemoryItem withTags(List<String> tags);
}
