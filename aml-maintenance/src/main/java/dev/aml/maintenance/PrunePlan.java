package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a prune would do, computed from a consistent snapshot without changing anything: the items
 * to remove (merged over every strategy, each once), the items a strategy proposed but a guard
 * kept, the items without a date (never pruned by age), and the agents that were skipped.
 *
 * @param plannedAt the instant the plan was made (the clock's "now")
 * @param strategies the strategies' names, in the order they ran
 * @param agents the agents planned, sorted
 * @param candidates the items to remove, ordered by agent, kind and position
 * @param protectedItems proposals a guard overruled
 * @param undated items with neither a parseable timestamp nor a last-use date
 * @param errors one line per skipped agent, saying why and what to do
 */
public record PrunePlan(Instant plannedAt, List<String> strategies, List<AgentId> agents,
        List<PruneCandidate> candidates, List<Protected> protectedItems, List<ItemRef> undated, List<String> errors) {

    /** Copies the lists; rejects nulls. */
    public PrunePlan {
        Objects.requireNonNull(plannedAt, "plannedAt");
        strategies = List.copyOf(strategies);
        agents = List.copyOf(agents);
        candidates = List.copyOf(candidates);
        protectedItems = List.copyOf(protectedItems);
        undated = List.copyOf(undated);
        errors = List.copyOf(errors);
    }

    /** @return whether nothing would be removed */
    public boolean isEmpty() {
        return candidates.isEmpty();
    }

    /** @return the serialized bytes of every item to remove */
    public long bytes() {
        long sum = 0;
        for (PruneCandidate c : candidates) {
            sum += c.bytes();
        }
        return sum;
    }

    /** Why a guard kept a proposed item. */
    public enum Guard {
        /** Its value score reached {@link PruneConfig#highValueThreshold()}. */
        HIGH_VALUE,
        /** It was created, used or reviewed within {@link PruneConfig#protectNewerThanMinutes()}. */
        TOO_RECENT
    }

    /**
     * A proposal the planner overruled.
     *
     * @param candidate what was proposed
     * @param guard which guard kept it
     */
    public record Protected(PruneCandidate candidate, Guard guard) {
        /** Rejects nulls. */
        public Protected {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(guard, "guard");
        }
    }

    /**
     * Points at one item of the snapshot.
     *
     * @param agent the agent
     * @param kind the kind
     * @param position the index in the agent's list of that kind
     * @param id the item's id
     */
    public record ItemRef(AgentId agent, ItemKind kind, int position, String id) {
        /** Rejects nulls. */
        public ItemRef {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }
    }
}
