package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Decision;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.Solution;
import java.util.List;
import java.util.Set;

/**
 * The memory of one agent, from {@link MemoryManager#agent(String)}: its {@link #patterns()},
 * {@link #solutions()} and {@link #decisions()}, and queries across all three. Thread-safe; cheap to
 * obtain again.
 */
public final class AgentMemory {

    private final MemoryManager manager;
    private final AgentId id;
    private final Set<AgentId> idSet;
    private final ItemMemory<Pattern, PatternDraft> patterns;
    private final ItemMemory<Solution, SolutionDraft> solutions;
    private final ItemMemory<Decision, DecisionDraft> decisions;

    AgentMemory(MemoryManager manager, AgentId id) {
        this.manager = manager;
        this.id = id;
        this.idSet = Set.of(id);
        this.patterns = new ItemMemory<>(manager, id, ItemKind.PATTERN, Pattern.class, PatternDraft::toPattern,
                (p, outcome, now, rate) -> p.withOutcome(outcome, now, rate));
        this.solutions = new ItemMemory<>(manager, id, ItemKind.SOLUTION, Solution.class, SolutionDraft::toSolution,
                (s, outcome, now, rate) -> s.withOutcome(outcome));
        this.decisions = new ItemMemory<>(manager, id, ItemKind.DECISION, Decision.class, DecisionDraft::toDecision,
                (d, outcome, now, rate) -> d.withOutcome(outcome, now));
    }

    /** @return the agent */
    public AgentId id() {
        return id;
    }

    /** @return the agent's patterns */
    public ItemMemory<Pattern, PatternDraft> patterns() {
        return patterns;
    }

    /** @return the agent's solutions */
    public ItemMemory<Solution, SolutionDraft> solutions() {
        return solutions;
    }

    /** @return the agent's decisions */
    public ItemMemory<Decision, DecisionDraft> decisions() {
        return decisions;
    }

    /**
     * Queries this agent's items of the kinds the query names (all kinds by default).
     *
     * @param query the query; its agents must be open or include this agent
     * @return the results, best first, immutable
     * @throws IllegalArgumentException if the query names other agents only
     */
    public List<MemoryItem> query(MemoryQuery query) {
        return manager.query(scopedToAgent(query, id, idSet));
    }

    /**
     * Same as {@code query(builder.build())}.
     *
     * @param query the query builder
     * @return the results, best first, immutable
     */
    public List<MemoryItem> query(MemoryQuery.Builder query) {
        return query(query.build());
    }

    static MemoryQuery scopedToAgent(MemoryQuery q, AgentId agent, Set<AgentId> agentSet) {
        if (q.agents().equals(agentSet)) {
            return q;
        }
        if (!q.agents().isEmpty() && !q.agents().contains(agent)) {
            throw new IllegalArgumentException("A query over agents " + q.agents() + " cannot run on the memory of '"
                    + agent + "'; use MemoryManager.query for other agents");
        }
        return q.withAgents(agentSet);
    }

    @Override
    public String toString() {
        return "AgentMemory[" + id + "]";
    }
}
