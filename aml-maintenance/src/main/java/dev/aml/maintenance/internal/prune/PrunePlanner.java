package dev.aml.maintenance.internal.prune;

import dev.aml.core.AgentId;
import dev.aml.core.Decision;
import dev.aml.core.ItemKind;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneContext;
import dev.aml.maintenance.PrunePlan;
import dev.aml.maintenance.PruneReason;
import dev.aml.maintenance.PruneStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Makes a {@link PrunePlan}: a pure function of a {@link Snapshot}, a {@link PruneConfig} and an
 * instant.
 *
 * <h2>Design</h2>
 * Strategies only propose. For each agent the planner runs the configured strategies in order,
 * each seeing what earlier ones proposed (so a space target counts bytes already freed, as the
 * reference's sequential strategies do, but without a dry run counting an item twice: an item is
 * proposed at most once, and keeps its first reason). Every proposal is checked (right agent, an
 * item really at that position) and passes two guards before it becomes a candidate:
 * <ul>
 *   <li>high value: {@code preserveHighValue} and {@code value ≥ highValueThreshold} keeps the item,
 *       whatever the strategy (the reference applies it to space-based pruning only);</li>
 *   <li>too recent: an item created, used or reviewed less than {@code protectNewerThanMinutes} ago,
 *       or with a date in the future, is kept.</li>
 * </ul>
 * A strategy that throws or proposes nonsense makes the planner drop every proposal for that agent
 * and report an error naming the strategy: the agent is then not pruned at all, never half-pruned.
 * Items without a date are listed as undated; the built-in age rules never select them.
 *
 * <p>Because the plan depends only on its inputs, a dry run and an execution on the same snapshot
 * produce the same candidates; execution removes exactly the candidates, nothing else.
 */
public final class PrunePlanner {

    private PrunePlanner() {
    }

    /**
     * @param snapshot what the store held
     * @param config the configuration
     * @param now the instant to plan at
     * @param sizer item sizes
     * @return the plan
     */
    public static PrunePlan plan(Snapshot snapshot, PruneConfig config, Instant now, ItemSizer sizer) {
        List<PruneCandidate> candidates = new ArrayList<>();
        List<PrunePlan.Protected> kept = new ArrayList<>();
        List<PrunePlan.ItemRef> undated = new ArrayList<>();
        List<String> errors = new ArrayList<>(snapshot.errors());
        List<AgentId> planned = new ArrayList<>();
        long globalFromItems = -1;
        OptionalLong global = snapshot.sizes().globalBytes();
        if (global.isEmpty() && config.strategies().stream().anyMatch(s -> s == PruneStrategy.spaceBased())) {
            globalFromItems = 0;
            for (Snapshot.AgentItems a : snapshot.agents()) {
                globalFromItems += itemBytes(a, sizer);
            }
        }
        long globalBytes = global.isPresent() ? global.getAsLong() : Math.max(0, globalFromItems);
        List<Snapshot.AgentItems> agents = snapshot.agents();
        // agents are planned independently; the built-in strategies are pure functions of their context,
        // so they plan on all cores (the results are combined in agent order, as one thread would);
        // a user's strategy may not be thread-safe and runs on this thread
        boolean parallel = agents.size() > 1 && config.strategies().stream().allMatch(BuiltInStrategies::isBuiltIn);
        IntStream indexes = IntStream.range(0, agents.size());
        List<AgentPlan> plans = (parallel ? indexes.parallel() : indexes)
                .mapToObj(i -> planAgent(agents.get(i), config, now, sizer, snapshot.sizes(), globalBytes))
                .toList();
        for (AgentPlan p : plans) {
            if (p.error() != null) {
                errors.add(p.error());
                continue;
            }
            planned.add(p.agent());
            candidates.addAll(p.candidates());
            kept.addAll(p.kept());
            undated.addAll(p.undated());
        }
        return new PrunePlan(now, config.strategyNames(), planned, candidates, kept, undated, errors);
    }

    /** What planning one agent produced: an error (nothing of it is pruned), or its candidates in file order. */
    private record AgentPlan(AgentId agent, @Nullable String error, List<PruneCandidate> candidates,
            List<PrunePlan.Protected> kept, List<PrunePlan.ItemRef> undated) {
    }

    private static AgentPlan planAgent(Snapshot.AgentItems agent, PruneConfig config, Instant now, ItemSizer sizer,
            Snapshot.Sizes sizes, long globalBytes) {
        Ctx ctx = new Ctx(agent, config, now, sizer, sizes, globalBytes);
        String error = ctx.run(config.strategies());
        if (error != null) {
            return new AgentPlan(agent.agent(), error, List.of(), List.of(), List.of());
        }
        List<PruneCandidate> mine = new ArrayList<>(ctx.accepted);
        mine.sort(Comparator.comparing(PruneCandidate::kind).thenComparingInt(PruneCandidate::position));
        List<PrunePlan.ItemRef> undated = new ArrayList<>();
        for (ItemKind kind : ItemKind.values()) {
            List<MemoryItem> items = agent.of(kind);
            for (int i = 0; i < items.size(); i++) {
                MemoryItem item = items.get(i);
                if (item.timestamp() == null && item.lastUsed() == null) {
                    undated.add(new PrunePlan.ItemRef(agent.agent(), kind, i, item.id()));
                }
            }
        }
        return new AgentPlan(agent.agent(), null, mine, ctx.kept, undated);
    }

    static long itemBytes(Snapshot.AgentItems agent, ItemSizer sizer) {
        long sum = 0;
        for (ItemKind kind : ItemKind.values()) {
            for (MemoryItem item : agent.of(kind)) {
                sum += sizer.bytes(item);
            }
        }
        return sum;
    }

    /**
     * @param item an item
     * @return the newest of its creation, last-use and review dates, or {@code null} when none is known
     */
    public static @Nullable Instant newestDate(MemoryItem item) {
        Instant newest = max(item.timestamp(), item.lastUsed());
        if (item instanceof Pattern p) {
            newest = max(newest, p.evolution().created());
        } else if (item instanceof Decision d) {
            newest = max(newest, d.reviewedAt());
        }
        return newest;
    }

    private static @Nullable Instant max(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** The context of one agent; also collects the accepted and overruled proposals. */
    private static final class Ctx implements PruneContext {
        private final Snapshot.AgentItems agent;
        private final PruneConfig config;
        private final Instant now;
        private final ItemSizer sizer;
        private final Snapshot.Sizes sizes;
        private final long globalBytes;
        private final Map<ItemKind, BitSet> proposed = new EnumMap<>(ItemKind.class);
        private final Map<ItemKind, BitSet> overruled = new EnumMap<>(ItemKind.class);
        private final List<PruneCandidate> accepted = new ArrayList<>();
        private final List<PrunePlan.Protected> kept = new ArrayList<>();
        private final Instant recentLimit;
        private long bytesProposed;
        private long agentBytes = -1;
        private String strategy = "";

        Ctx(Snapshot.AgentItems agent, PruneConfig config, Instant now, ItemSizer sizer, Snapshot.Sizes sizes,
                long globalBytes) {
            this.agent = agent;
            this.config = config;
            this.now = now;
            this.sizer = sizer;
            this.sizes = sizes;
            this.globalBytes = globalBytes;
            this.recentLimit = now.minusSeconds(config.protectNewerThanMinutes() * 60);
            for (ItemKind kind : ItemKind.values()) {
                proposed.put(kind, new BitSet());
                overruled.put(kind, new BitSet());
            }
        }

        /** @return an error line, or {@code null} when every strategy ran cleanly */
        @Nullable String run(List<PruneStrategy> strategies) {
            for (PruneStrategy s : strategies) {
                strategy = s.name();
                List<PruneCandidate> proposals;
                try {
                    proposals = Objects.requireNonNull(s.propose(this), "the strategy returned null");
                } catch (RuntimeException e) {
                    return "Agent '" + agent.agent() + "' was skipped, nothing of it was pruned: strategy '" + s.name()
                            + "' failed: " + e + ". Fix or remove that strategy, then prune again.";
                }
                boolean trusted = BuiltInStrategies.isBuiltIn(s);
                for (PruneCandidate c : proposals) {
                    String problem = trusted ? null : check(c);
                    if (problem != null) {
                        return "Agent '" + agent.agent() + "' was skipped, nothing of it was pruned: strategy '"
                                + s.name() + "' proposed " + problem + ". Fix that strategy, then prune again.";
                    }
                    accept(c);
                }
            }
            return null;
        }

        private @Nullable String check(@Nullable PruneCandidate c) {
            if (c == null) {
                return "a null candidate";
            }
            if (!c.agent().equals(agent.agent())) {
                return "an item of agent '" + c.agent() + "'";
            }
            List<MemoryItem> items = agent.of(c.kind());
            if (c.position() >= items.size()) {
                return c.kind().label() + " position " + c.position() + " but there are only " + items.size();
            }
            if (!items.get(c.position()).id().equals(c.id())) {
                return c.kind().label() + " '" + c.id() + "' at position " + c.position() + " where the item is '"
                        + items.get(c.position()).id() + "'";
            }
            return null;
        }

        private void accept(PruneCandidate c) {
            BitSet p = proposed.get(c.kind());
            BitSet o = overruled.get(c.kind());
            if (p.get(c.position()) || o.get(c.position())) {
                return;
            }
            PrunePlan.Guard guard = guard(agent.of(c.kind()).get(c.position()));
            if (guard != null) {
                o.set(c.position());
                kept.add(new PrunePlan.Protected(c, guard));
                return;
            }
            p.set(c.position());
            accepted.add(c);
            bytesProposed += c.bytes();
        }

        private PrunePlan.@Nullable Guard guard(MemoryItem item) {
            if (config.preserveHighValue() && item.value() >= config.highValueThreshold()) {
                return PrunePlan.Guard.HIGH_VALUE;
            }
            if (config.protectNewerThanMinutes() > 0) {
                Instant newest = newestDate(item);
                if (newest != null && newest.isAfter(recentLimit)) {
                    return PrunePlan.Guard.TOO_RECENT;
                }
            }
            return null;
        }

        @Override
        public AgentId agent() {
            return agent.agent();
        }

        @Override
        public PruneConfig config() {
            return config;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public List<MemoryItem> items(ItemKind kind) {
            return agent.of(kind);
        }

        @Override
        public OptionalLong ageDays(MemoryItem item) {
            Instant last = item.lastUsed();
            return last == null ? OptionalLong.empty() : OptionalLong.of(Learning.ageDays(last, now));
        }

        @Override
        public boolean alreadyProposed(ItemKind kind, int position) {
            return proposed.get(kind).get(position);
        }

        @Override
        public boolean isProtected(MemoryItem item) {
            return guard(item) != null;
        }

        @Override
        public long bytes(MemoryItem item) {
            return sizer.bytes(item);
        }

        @Override
        public long agentBytes() {
            if (agentBytes < 0) {
                OptionalLong measured = sizes.agentBytes(agent.agent());
                agentBytes = measured.isPresent() ? measured.getAsLong() : itemBytes(agent, sizer);
            }
            return agentBytes;
        }

        @Override
        public long globalBytes() {
            return globalBytes;
        }

        @Override
        public long bytesProposed() {
            return bytesProposed;
        }

        @Override
        public PruneCandidate candidate(ItemKind kind, int position, PruneReason reason, String detail) {
            MemoryItem item = agent.of(kind).get(position);
            OptionalLong age = ageDays(item);
            return new PruneCandidate(agent.agent(), kind, item.id(), position, reason, strategy, detail,
                    age.isPresent() ? Math.max(0, age.getAsLong()) : -1, item.successRate(), item.confidence(),
                    item.executionCount(), item.value(), sizer.bytes(item));
        }
    }
}
