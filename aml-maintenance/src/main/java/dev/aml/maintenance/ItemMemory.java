package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One agent's items of one kind: {@code agent.patterns()}, {@code agent.solutions()} or
 * {@code agent.decisions()}. Record, read, change, learn and query; every write goes through the
 * store atomically, and queries see it as soon as the write returns. Thread-safe.
 *
 * @param <T> the item type ({@code Pattern}, {@code Solution} or {@code Decision})
 * @param <D> its draft type ({@code PatternDraft}, {@code SolutionDraft} or {@code DecisionDraft})
 */
public final class ItemMemory<T extends MemoryItem, D> {

    /** Turns a draft into an item. */
    interface Maker<D, T> {
        T make(D draft, AgentId agent, String id, Instant now);
    }

    /** Applies an outcome to an item. */
    interface Learner<T> {
        T learn(T item, Outcome outcome, Instant now, double learningRate);
    }

    private final MemoryManager manager;
    private final AgentId agent;
    private final ItemKind kind;
    private final Class<T> type;
    private final Maker<D, T> maker;
    private final Learner<T> learner;
    private final Set<AgentId> agentSet;
    private final Set<ItemKind> kindSet;

    ItemMemory(MemoryManager manager, AgentId agent, ItemKind kind, Class<T> type, Maker<D, T> maker,
            Learner<T> learner) {
        this.manager = manager;
        this.agent = agent;
        this.kind = kind;
        this.type = type;
        this.maker = maker;
        this.learner = learner;
        this.agentSet = Set.of(agent);
        this.kindSet = Set.of(kind);
    }

    /** @return the agent */
    public AgentId agent() {
        return agent;
    }

    /** @return the kind of items */
    public ItemKind kind() {
        return kind;
    }

    private MemoryStore store() {
        return manager.store();
    }

    /**
     * Stores a new item made from {@code draft}, with a new unique id and the clock's time.
     *
     * @param draft what to remember
     * @return the stored item
     * @throws IllegalStateException if the store is read-only or closed
     */
    public T record(D draft) {
        Objects.requireNonNull(draft, "draft");
        T item = maker.make(draft, agent, manager.newId(), manager.now());
        store().apply(List.of(Change.upsert(agent, item)));
        return item;
    }

    /**
     * @param id the id
     * @return the item with that id (the first one, should a file hold duplicates)
     * @throws dev.aml.core.CorruptDataException if the agent's file for this kind could not be read
     */
    public Optional<T> get(String id) {
        return store().find(agent, kind, Objects.requireNonNull(id, "id")).map(type::cast);
    }

    /**
     * Atomically replaces an item by {@code fn}'s result; no concurrent write to it is lost.
     * {@code fn} may run more than once and must have no side effects.
     *
     * @param id the id
     * @param fn computes the new item; it must keep the id
     * @return the stored new item
     * @throws dev.aml.core.ItemNotFoundException if there is no such item
     * @throws IllegalArgumentException if {@code fn} changed the id
     */
    public T update(String id, UnaryOperator<T> fn) {
        Objects.requireNonNull(fn, "fn");
        return type.cast(store().update(agent, kind, Objects.requireNonNull(id, "id"),
                item -> fn.apply(type.cast(item))));
    }

    /**
     * Removes the item with that id (every copy, should a file hold duplicates), atomically: of
     * several callers deleting the same id at once, exactly one gets {@code true}.
     *
     * @param id the id
     * @return whether this call removed the item ({@code false}: there was none, or another caller
     *     removed it first)
     */
    public boolean delete(String id) {
        return store().delete(agent, kind, Objects.requireNonNull(id, "id"));
    }

    /**
     * Learns from one use of an item with Loom's formulas, atomically (concurrent outcomes from many
     * threads are all counted). Patterns: one more execution, success rate as a running mean,
     * average time saved, multiplicative confidence with the manager's learning rate, last use now.
     * Solutions: one more verification, {@code worked} and time to fix. Decisions: the outcome's
     * {@code wouldRepeat} and {@code reviewedAt} now.
     *
     * @param id the id
     * @param outcome what happened
     * @return the updated item
     * @throws dev.aml.core.ItemNotFoundException if there is no such item
     */
    public T recordOutcome(String id, Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        Instant now = manager.now();
        double rate = manager.learningRate();
        T learned = update(id, item -> learner.learn(item, outcome, now, rate));
        manager.outcomeRecorded(agent, kind, outcome);
        return learned;
    }

    /**
     * Queries this agent's items of this kind. The query may leave agents and kinds open (they are set
     * to this agent and kind) or name them, as long as they include this agent and kind.
     *
     * @param query the query
     * @return the results, best first, immutable
     * @throws IllegalArgumentException if the query names other agents only or other kinds only
     */
    @SuppressWarnings("unchecked") // the query is narrowed to this kind, so every result is a T
    public List<T> query(MemoryQuery query) {
        return (List<T>) manager.query(scoped(query));
    }

    /**
     * Same as {@code query(builder.build())}.
     *
     * @param query the query builder
     * @return the results, best first, immutable
     */
    public List<T> query(MemoryQuery.Builder query) {
        return query(query.build());
    }

    private MemoryQuery scoped(MemoryQuery query) {
        MemoryQuery q = query;
        if (!q.kinds().equals(kindSet)) {
            if (!q.kinds().contains(kind)) {
                throw new IllegalArgumentException("A query over " + q.kinds() + " cannot run on the " + kind
                        + " memory of agent '" + agent + "'; use MemoryQuery." + kind.label() + "s()");
            }
            q = q.withKinds(kindSet);
        }
        return AgentMemory.scopedToAgent(q, agent, agentSet);
    }
}
