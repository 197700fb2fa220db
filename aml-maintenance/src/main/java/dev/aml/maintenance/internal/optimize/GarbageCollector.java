package dev.aml.maintenance.internal.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.maintenance.internal.prune.PrunePlanner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Garbage collection of items, as a plan of {@link Change}s.
 *
 * <h2>Rules</h2>
 * Per agent and kind (never across agents: two agents may legitimately hold copies of one id):
 * <ol>
 *   <li>items without an id are removed ({@code invalid_items}); items merely lacking an agent field
 *       or a timestamp are kept (the reference drops them; they are still readable memories);</li>
 *   <li>of several items with one id, the newest (by its newest known date; the first in file
 *       order on a tie) is kept and the others removed ({@code duplicate_ids});</li>
 *   <li>patterns whose bodies are equal after normalization (object keys sorted, string values
 *       trimmed with inner whitespace collapsed) are exact duplicates: they are reported
 *       ({@code exact_duplicates}) and, only when merging is asked for, merged into the first.</li>
 * </ol>
 * Agents the store cannot read are reported and left untouched. Survivors keep their order.
 *
 * <h2>Merging</h2>
 * The merged pattern keeps the first one's id, body and unknown fields and combines the metrics
 * with the learning formulas: executions add up; success rate, average time saved and confidence
 * are means weighted by executions (Loom's success rate is exactly that running mean); error
 * preventions and refinements add up; creation is the earliest, last use the latest; tags are
 * united in order of appearance; the pattern is active if any copy was.
 */
final class GarbageCollector {

    /** The result: counts, human lines, errors and the changes to apply. */
    record Result(Map<String, Long> counts, List<String> lines, List<String> errors, List<Change> changes) {
    }

    private GarbageCollector() {
    }

    static Result plan(MemoryStore store, boolean merge) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String k : List.of("invalid_items", "duplicate_ids", "exact_duplicates", "merged", "unreadable_files")) {
            counts.put(k, 0L);
        }
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        for (AgentId agent : store.agents()) {
            CorruptDataException bad = unreadable.get(agent);
            if (bad != null) {
                counts.merge("unreadable_files", 1L, Long::sum);
                errors.add("Agent '" + agent + "' was left untouched: " + bad.getMessage()
                        + " gc never deletes or rewrites a file it could not read; restore it from a backup.");
                continue;
            }
            for (ItemKind kind : ItemKind.values()) {
                List<MemoryItem> items;
                try {
                    items = store.items(agent, kind);
                } catch (CorruptDataException e) {
                    counts.merge("unreadable_files", 1L, Long::sum);
                    errors.add("Agent '" + agent + "' " + kind.fileName() + " was left untouched: " + e.getMessage());
                    continue;
                }
                Change c = planKind(agent, kind, items, merge, counts, lines);
                if (c != null) {
                    changes.add(c);
                }
            }
        }
        return new Result(counts, lines, errors, changes);
    }

    private static @Nullable Change planKind(AgentId agent, ItemKind kind, List<MemoryItem> items, boolean merge,
            Map<String, Long> counts, List<String> lines) {
        int n = items.size();
        BitSet keep = new BitSet(n);
        keep.set(0, n);
        Map<Integer, MemoryItem> replaced = new TreeMap<>();
        Map<String, Integer> newestById = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            MemoryItem item = items.get(i);
            if (item.id().isEmpty()) {
                keep.clear(i);
                counts.merge("invalid_items", 1L, Long::sum);
                lines.add(agent + "/" + kind.fileName() + ": item #" + i + " has no id; removed");
                continue;
            }
            Integer seen = newestById.get(item.id());
            if (seen == null) {
                newestById.put(item.id(), i);
            } else {
                int loser = newer(item, items.get(seen)) ? seen : i;
                int winner = loser == i ? seen : i;
                keep.clear(loser);
                newestById.put(item.id(), winner);
                counts.merge("duplicate_ids", 1L, Long::sum);
                lines.add(agent + "/" + kind.fileName() + ": id '" + item.id() + "' appears again at #" + loser
                        + "; kept the newest (#" + winner + ")");
            }
        }
        if (kind == ItemKind.PATTERN) {
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
                Pattern p = (Pattern) items.get(i);
                groups.computeIfAbsent(normalize(p.pattern()), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> group : groups.values()) {
                if (group.size() < 2) {
                    continue;
                }
                counts.merge("exact_duplicates", (long) group.size() - 1, Long::sum);
                int first = group.get(0);
                String others = String.join(", ", group.subList(1, group.size()).stream()
                        .map(i -> "'" + items.get(i).id() + "'").toList());
                if (merge) {
                    List<Pattern> copies = group.stream().map(i -> (Pattern) items.get(i)).toList();
                    replaced.put(first, merged(copies));
                    group.subList(1, group.size()).forEach(keep::clear);
                    counts.merge("merged", (long) group.size() - 1, Long::sum);
                    lines.add(agent + "/patterns.json: merged exact duplicate(s) " + others + " into '"
                            + items.get(first).id() + "'");
                } else {
                    lines.add(agent + "/patterns.json: " + others + " repeat(s) the body of '" + items.get(first).id()
                            + "' (gc with merge-duplicates merges them)");
                }
            }
        }
        if (keep.cardinality() == n && replaced.isEmpty()) {
            return null;
        }
        List<MemoryItem> survivors = new ArrayList<>(keep.cardinality());
        for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
            survivors.add(replaced.getOrDefault(i, items.get(i)));
        }
        return Change.replaceAll(agent, kind, survivors);
    }

    private static boolean newer(MemoryItem a, MemoryItem b) {
        Instant da = PrunePlanner.newestDate(a);
        Instant db = PrunePlanner.newestDate(b);
        return da != null && (db == null || da.isAfter(db));
    }

    /**
     * @param body a pattern body
     * @return its normalized text: keys sorted, strings trimmed with whitespace runs collapsed
     */
    static String normalize(RawJson body) {
        return normalize(body.tree()).toString();
    }

    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                out.set(name, normalize(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                out.add(normalize(it.next()));
            }
            return out;
        }
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(node.textValue().strip().replaceAll("\\s+", " "));
        }
        return node;
    }

    /**
     * @param copies exact duplicates, in file order; the first is the target
     * @return the merged pattern (see the class description)
     */
    static Pattern merged(List<Pattern> copies) {
        Pattern first = copies.get(0);
        long executions = 0;
        double success = 0;
        double saved = 0;
        double confidence = 0;
        long prevented = 0;
        long refinements = 0;
        Instant created = null;
        Instant lastUsed = null;
        Instant timestamp = null;
        boolean active = false;
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (Pattern p : copies) {
            long n = Math.max(0, p.executionCount());
            executions += n;
            success += p.successRate() * n;
            saved += Math.max(0, p.metrics().avgTimeSavedMs()) * n;
            confidence += p.confidence() * n;
            prevented += p.metrics().errorPreventionCount();
            refinements += p.evolution().refinements();
            created = min(created, p.evolution().created());
            lastUsed = max(lastUsed, p.evolution().lastUsed());
            timestamp = min(timestamp, p.timestamp());
            active |= p.active();
            tags.addAll(p.tags());
        }
        if (executions > 0) {
            success /= executions;
            saved /= executions;
            confidence /= executions;
        } else {
            success = copies.stream().mapToDouble(Pattern::successRate).average().orElse(0);
            saved = copies.stream().mapToDouble(p -> Math.max(0, p.metrics().avgTimeSavedMs())).average().orElse(0);
            confidence = copies.stream().mapToDouble(Pattern::confidence).average().orElse(0);
        }
        PatternMetrics m = new PatternMetrics(success, executions, saved, prevented, first.metrics().extra());
        Evolution e = new Evolution(created, lastUsed, refinements, confidence, first.evolution().extra());
        return new Pattern(first.id(), first.agent(), timestamp, first.pattern(), m, e, List.copyOf(tags), active,
                first.extra());
    }

    private static @Nullable Instant min(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static @Nullable Instant max(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
