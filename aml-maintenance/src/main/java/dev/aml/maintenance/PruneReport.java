package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@code aml.prune(config).dryRun()} or {@code .execute()}: the plan (what is or
 * would be removed, with reasons and facts), the backup to restore from, the archives written,
 * and timings. A dry run and an execution of the same snapshot have the same plan.
 *
 * @param dryRun whether nothing was changed
 * @param plan what was (or would be) removed
 * @param backupId the pre-prune backup to restore from ({@code aml <path> backup restore --backup-id <id>}),
 *     {@code null} for dry runs, when nothing was removed, or when the backup was turned off
 * @param planMillis time spent reading the store and planning
 * @param backupMillis time spent in the pre-prune backup
 * @param applyMillis time spent archiving and applying the removal
 * @param archives archive files written, one per agent and category
 * @param warnings things the user should know that are not errors (e.g. no backup was taken)
 */
public record PruneReport(boolean dryRun, PrunePlan plan, @Nullable String backupId, long planMillis,
        long backupMillis, long applyMillis, List<Path> archives, List<String> warnings) {

    /** Copies the lists; rejects nulls. */
    public PruneReport {
        Objects.requireNonNull(plan, "plan");
        archives = List.copyOf(archives);
        warnings = List.copyOf(warnings);
    }

    /** @return every removed (or to-be-removed) item */
    public List<PruneCandidate> candidates() {
        return plan.candidates();
    }

    /** @return one line per agent that was skipped */
    public List<String> errors() {
        return plan.errors();
    }

    /** @return whether every covered agent was planned */
    public boolean ok() {
        return plan.errors().isEmpty();
    }

    /** @return items removed, archived or not */
    public int itemsRemoved() {
        return plan.candidates().size();
    }

    /** @return removed decisions, which go to the archives ("archived" in the reference's output) */
    public int itemsArchived() {
        return (int) plan.candidates().stream().filter(PruneCandidate::archived).count();
    }

    /** @return removed patterns and solutions ("pruned" in the reference's output) */
    public int itemsPruned() {
        return itemsRemoved() - itemsArchived();
    }

    /** @return serialized bytes of the removed items */
    public long bytesFreed() {
        return plan.bytes();
    }

    /** @return removed items per reason, in the reasons' order */
    public Map<PruneReason, Integer> countsByReason() {
        Map<PruneReason, Integer> counts = new EnumMap<>(PruneReason.class);
        for (PruneCandidate c : plan.candidates()) {
            counts.merge(c.reason(), 1, Integer::sum);
        }
        return counts;
    }

    /** @return removed items per agent, sorted by agent */
    public Map<AgentId, Integer> countsByAgent() {
        Map<AgentId, Integer> counts = new TreeMap<>();
        for (PruneCandidate c : plan.candidates()) {
            counts.merge(c.agent(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * @param agent an agent
     * @param kind a kind
     * @return ids of that agent's removed items of that kind, in file order
     */
    public List<String> ids(AgentId agent, ItemKind kind) {
        return plan.candidates().stream().filter(c -> c.agent().equals(agent) && c.kind() == kind)
                .map(PruneCandidate::id).toList();
    }

    /** @return one row per agent, kind and reason with counts and bytes, sorted */
    public List<Row> rows() {
        // counted in place per group (a prune of the benchmark tree has 83k candidates in 60 groups)
        Map<Group, long[]> groups = new HashMap<>();
        for (PruneCandidate c : plan.candidates()) {
            long[] countAndBytes = groups.computeIfAbsent(new Group(c.agent(), c.kind(), c.reason()), g -> new long[2]);
            countAndBytes[0]++;
            countAndBytes[1] += c.bytes();
        }
        List<Row> out = new ArrayList<>(groups.size());
        groups.forEach((g, n) -> out.add(new Row(g.agent(), g.kind(), g.reason(), Math.toIntExact(n[0]), n[1])));
        out.sort(Comparator.comparing(Row::agent).thenComparing(Row::kind).thenComparing(Row::reason));
        return out;
    }

    private record Group(AgentId agent, ItemKind kind, PruneReason reason) {
    }

    /**
     * Removed items of one agent and kind for one reason.
     *
     * @param agent the agent
     * @param kind the kind
     * @param reason the reason
     * @param count how many
     * @param bytes their serialized bytes
     */
    public record Row(AgentId agent, ItemKind kind, PruneReason reason, int count, long bytes) {
        /** Rejects nulls. */
        public Row {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
