package dev.aml.maintenance.internal.prune;

import dev.aml.core.Decision;
import dev.aml.core.ItemKind;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.Solution;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneContext;
import dev.aml.maintenance.PruneReason;
import dev.aml.maintenance.PruneStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The three strategies of Loom's reference toolkit (LOOM-FORMAT.md §5.1), with its defects fixed:
 * zone-aware and naive timestamps both work (the store parses them), undated items are never aged
 * at "999 days", solution age is honoured, and space-based pruning removes the lowest value first
 * without reordering survivors.
 */
public final class BuiltInStrategies {

    /** {@code time_based}. */
    public static final PruneStrategy TIME_BASED = new Named("time_based") {
        @Override
        public List<PruneCandidate> propose(PruneContext ctx) {
            PruneConfig cfg = ctx.config();
            List<PruneCandidate> out = new ArrayList<>();
            byAge(ctx, ItemKind.PATTERN, cfg.patternMaxAgeDays(), PruneReason.UNUSED_TOO_LONG, "unused ", "", out);
            byAge(ctx, ItemKind.DECISION, cfg.decisionMaxAgeDays(), PruneReason.UNUSED_TOO_LONG, "decided ", " ago",
                    out);
            byAge(ctx, ItemKind.SOLUTION, cfg.solutionMaxAgeDays(), PruneReason.OUTDATED_SOLUTION, "recorded ", " ago",
                    out);
            List<MemoryItem> patterns = ctx.items(ItemKind.PATTERN);
            for (int i = 0; i < patterns.size(); i++) {
                MemoryItem p = patterns.get(i);
                if (p.executionCount() >= cfg.minExecutionCount() && p.successRate() < cfg.failedPatternSuccessRate()
                        && p.timestamp() != null) {
                    long created = Learning.ageDays(p.timestamp(), ctx.now());
                    if (created > cfg.failedPatternMaxAgeDays()) {
                        out.add(ctx.candidate(ItemKind.PATTERN, i, PruneReason.LOW_SUCCESS_RATE,
                                "failed: success " + two(p.successRate()) + " < " + two(cfg.failedPatternSuccessRate())
                                        + " after " + p.executionCount() + " runs, created " + created + " d ago > "
                                        + cfg.failedPatternMaxAgeDays() + " d"));
                    }
                }
            }
            return out;
        }
    };

    /** {@code performance_based}. */
    public static final PruneStrategy PERFORMANCE_BASED = new Named("performance_based") {
        @Override
        public List<PruneCandidate> propose(PruneContext ctx) {
            PruneConfig cfg = ctx.config();
            List<PruneCandidate> out = new ArrayList<>();
            List<MemoryItem> patterns = ctx.items(ItemKind.PATTERN);
            for (int i = 0; i < patterns.size(); i++) {
                MemoryItem p = patterns.get(i);
                if (p.executionCount() < cfg.minExecutionCount()) {
                    continue;
                }
                if (p.successRate() < cfg.minSuccessRate()) {
                    out.add(ctx.candidate(ItemKind.PATTERN, i, PruneReason.LOW_SUCCESS_RATE, "success "
                            + two(p.successRate()) + " < " + two(cfg.minSuccessRate()) + " after " + p.executionCount()
                            + " runs"));
                } else if (p.confidence() < cfg.minConfidenceScore()) {
                    out.add(ctx.candidate(ItemKind.PATTERN, i, PruneReason.LOW_CONFIDENCE, "confidence "
                            + two(p.confidence()) + " < " + two(cfg.minConfidenceScore()) + " after "
                            + p.executionCount() + " runs"));
                }
            }
            List<MemoryItem> solutions = ctx.items(ItemKind.SOLUTION);
            for (int i = 0; i < solutions.size(); i++) {
                if (solutions.get(i) instanceof Solution s && !s.effectiveness().worked()) {
                    out.add(ctx.candidate(ItemKind.SOLUTION, i, PruneReason.OUTDATED_SOLUTION, "did not work"));
                }
            }
            List<MemoryItem> decisions = ctx.items(ItemKind.DECISION);
            for (int i = 0; i < decisions.size(); i++) {
                if (decisions.get(i) instanceof Decision d && d.negativeOutcome()) {
                    out.add(ctx.candidate(ItemKind.DECISION, i, PruneReason.NEGATIVE_OUTCOME,
                            "negative outcome (metrics average below 0.5 or would not repeat)"));
                }
            }
            return out;
        }
    };

    /** {@code space_based}. */
    public static final PruneStrategy SPACE_BASED = new Named("space_based") {
        @Override
        public List<PruneCandidate> propose(PruneContext ctx) {
            PruneConfig cfg = ctx.config();
            long agentBytes = ctx.agentBytes();
            boolean agentExceeded = agentBytes > cfg.agentMemoryLimitBytes();
            boolean globalExceeded = ctx.globalBytes() > cfg.globalMemoryLimitBytes();
            if (!agentExceeded && !globalExceeded) {
                return List.of();
            }
            double target = 0;
            if (agentExceeded) {
                target = agentBytes - cfg.spaceTargetFraction() * cfg.agentMemoryLimitBytes();
            }
            if (globalExceeded) {
                // The reference frees a flat 20 % of every agent, again at each run even when the
                // memory is barely over; a proportional share converges and makes pruning idempotent.
                double excess = ctx.globalBytes() - cfg.spaceTargetFraction() * cfg.globalMemoryLimitBytes();
                target = Math.max(target, agentBytes * excess / ctx.globalBytes());
            }
            // Item sizes are serialized sizes; the agent's size at rest may be larger (pretty
            // printing, other files). Scale item sizes so that freed bytes are in at-rest bytes,
            // like the reference's bytes_per_pattern = file_size / count, but weighted per item.
            long itemTotal = 0;
            for (ItemKind kind : ItemKind.values()) {
                for (MemoryItem item : ctx.items(kind)) {
                    itemTotal += ctx.bytes(item);
                }
            }
            double scale = itemTotal > 0 && agentBytes > itemTotal ? (double) agentBytes / itemTotal : 1.0;
            double freed = ctx.bytesProposed() * scale;
            if (freed >= target) {
                return List.of();
            }
            List<MemoryItem> patterns = ctx.items(ItemKind.PATTERN);
            int n = patterns.size();
            double[] values = new double[n];
            Integer[] order = new Integer[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                MemoryItem p = patterns.get(i);
                if (ctx.alreadyProposed(ItemKind.PATTERN, i) || ctx.isProtected(p)) {
                    continue;
                }
                values[i] = p.value();
                order[m++] = i;
            }
            Integer[] sorted = Arrays.copyOf(order, m);
            Arrays.sort(sorted, (a, b) -> {
                int c = Double.compare(values[a], values[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            List<PruneCandidate> out = new ArrayList<>();
            for (int i : sorted) {
                if (freed >= target) {
                    break;
                }
                PruneCandidate c = ctx.candidate(ItemKind.PATTERN, i, PruneReason.MEMORY_LIMIT_EXCEEDED,
                        "value " + two(values[i]) + ", lowest first; "
                                + (agentExceeded ? "agent" : "memory") + " over its limit");
                out.add(c);
                freed += c.bytes() * scale;
            }
            return out;
        }
    };

    private BuiltInStrategies() {
    }

    /**
     * @param s a strategy
     * @return whether it is one of these built-ins, whose candidates always come from
     *     {@link PruneContext#candidate} and need no re-checking
     */
    static boolean isBuiltIn(PruneStrategy s) {
        return s == TIME_BASED || s == PERFORMANCE_BASED || s == SPACE_BASED;
    }

    private static void byAge(PruneContext ctx, ItemKind kind, int limit, PruneReason reason, String prefix,
            String suffix, List<PruneCandidate> out) {
        List<MemoryItem> items = ctx.items(kind);
        for (int i = 0; i < items.size(); i++) {
            OptionalLong age = ctx.ageDays(items.get(i));
            if (age.isPresent() && age.getAsLong() > limit) {
                String detail = prefix + age.getAsLong() + " d" + suffix + " > " + limit + " d";
                out.add(ctx.candidate(kind, i, reason, detail));
            }
        }
    }

    /** @return {@code v} with two decimals, e.g. {@code 0.05} (String.format is too slow for a million items) */
    static String two(double v) {
        long hundredths = Math.round(v * 100);
        long abs = Math.abs(hundredths);
        String frac = Long.toString(abs % 100);
        return (hundredths < 0 ? "-" : "") + abs / 100 + "." + (frac.length() == 1 ? "0" + frac : frac);
    }

    private abstract static class Named implements PruneStrategy {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
