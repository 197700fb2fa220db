package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of pruning over random trees (a seed builds each tree and configuration). */
class PrunePropertiesTest {

    private static final List<PruneStrategy> ALL = List.of(PruneStrategy.timeBased(),
            PruneStrategy.performanceBased(), PruneStrategy.spaceBased());

    /** A random tree: 1-3 agents, up to 40 items each, ages 0-400 days (some undated), odd metrics. */
    static TestStore tree(long seed) {
        Random r = new Random(seed);
        TestStore store = new TestStore();
        int agents = 1 + r.nextInt(3);
        for (int a = 0; a < agents; a++) {
            String agent = "agent-" + a;
            Map<ItemKind, List<MemoryItem>> items = new EnumMap<>(ItemKind.class);
            for (ItemKind k : ItemKind.values()) {
                items.put(k, new ArrayList<>());
            }
            int n = r.nextInt(41);
            for (int i = 0; i < n; i++) {
                String id = agent + "-" + i + (r.nextInt(20) == 0 ? "" : "");
                if (r.nextInt(25) == 0 && i > 0) {
                    id = agent + "-" + (i - 1); // duplicate ids happen in files other tools wrote
                }
                Instant when = r.nextInt(10) == 0 ? null : Fixtures.daysAgo(r.nextDouble() * 400);
                switch (r.nextInt(3)) {
                    case 0 -> items.get(ItemKind.PATTERN).add(Fixtures.pattern(id, agent, r.nextDouble(),
                            r.nextInt(60), r.nextDouble(), when, r.nextBoolean() ? when : null));
                    case 1 -> items.get(ItemKind.SOLUTION).add(new Solution(id, agent, when,
                            RawJson.of(Map.of("errorType", "E")), RawJson.of(Map.of("fixApproach", "f")),
                            new Effectiveness(r.nextInt(4) > 0, r.nextInt(30), r.nextInt(3), 0,
                                    RawJson.emptyObject()), List.of(), true, r.nextInt(5), RawJson.emptyObject()));
                    default -> {
                        DecisionOutcome o = switch (r.nextInt(3)) {
                            case 0 -> null;
                            case 1 -> DecisionOutcome.of(r.nextBoolean());
                            default -> new DecisionOutcome(RawJson.of(Map.of("apiPerformance", r.nextDouble())),
                                    List.of(), true, List.of(), RawJson.emptyObject());
                        };
                        items.get(ItemKind.DECISION).add(new dev.aml.core.Decision(id, agent, when,
                                RawJson.of(Map.of("q", id)), o, List.of(), true, null, RawJson.emptyObject()));
                    }
                }
            }
            items.forEach((k, list) -> store.withList(AgentId.of(agent), k, list));
        }
        return store;
    }

    static PruneConfig config(long seed, boolean hugeGlobalLimit) {
        Random r = new Random(seed * 31 + 7);
        List<PruneStrategy> strategies = new ArrayList<>(ALL);
        java.util.Collections.shuffle(strategies, r);
        strategies = strategies.subList(0, 1 + r.nextInt(3));
        return PruneConfig.builder()
                .strategies(strategies)
                .patternMaxAgeDays(r.nextInt(200))
                .decisionMaxAgeDays(r.nextInt(300))
                .minSuccessRate(r.nextDouble() * 0.5)
                .agentMemoryLimitBytes(1000 + r.nextInt(20_000))
                .globalMemoryLimitBytes(hugeGlobalLimit ? Long.MAX_VALUE / 4 : 2000 + r.nextInt(40_000))
                .preserveHighValue(r.nextInt(4) > 0)
                .highValueThreshold(0.3 + r.nextDouble() * 0.7)
                .createBackup(false)
                .build();
    }

    static Map<AgentId, Map<ItemKind, List<MemoryItem>>> contents(TestStore store) {
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> out = new HashMap<>();
        for (AgentId a : store.agents()) {
            Map<ItemKind, List<MemoryItem>> kinds = new EnumMap<>(ItemKind.class);
            for (ItemKind k : ItemKind.values()) {
                kinds.put(k, store.items(a, k));
            }
            out.put(a, kinds);
        }
        return out;
    }

    @Property(tries = 150)
    void aDryRunAndAnExecutionAgreeExactly(@ForAll long seed) {
        TestStore store = tree(seed);
        PruneConfig config = config(seed, false);
        PruneReport dry = Fixtures.op(store, config, null).dryRun();
        PruneReport done = Fixtures.op(store, config, null).execute();
        assertThat(done.plan().candidates()).isEqualTo(dry.plan().candidates());
        assertThat(done.bytesFreed()).isEqualTo(dry.bytesFreed());
        assertThat(done.rows()).isEqualTo(dry.rows());
    }

    @Property(tries = 150)
    void builtInStrategiesPlanningAgentsOnAllCoresGiveThePlanOfOneThread(@ForAll long seed) {
        TestStore store = tree(seed);
        for (int extra = 0; extra < 6; extra++) { // more agents than cores, so the common pool splits them
            TestStore more = tree(seed + 1000 + extra);
            for (AgentId a : more.agents()) {
                AgentId renamed = AgentId.of("more" + extra + "-" + a.name());
                for (ItemKind k : ItemKind.values()) {
                    store.withList(renamed, k, more.items(a, k));
                }
            }
        }
        PruneConfig config = config(seed, true);
        List<PruneStrategy> timeAndRate = List.of(PruneStrategy.timeBased(), PruneStrategy.performanceBased());
        PruneConfig builtIn = config.toBuilder().strategies(timeAndRate).build();
        // the same rules behind strategies the planner does not know: planned agent by agent on one thread
        PruneConfig wrapped = config.toBuilder().strategies(timeAndRate.stream()
                .map(PrunePropertiesTest::unknownToThePlanner).toList()).build();

        PrunePlan parallel = Fixtures.op(store, builtIn, null).plan();
        PrunePlan sequential = Fixtures.op(store, wrapped, null).plan();

        assertThat(parallel.agents()).isEqualTo(sequential.agents());
        assertThat(parallel.candidates()).isEqualTo(sequential.candidates());
        assertThat(parallel.protectedItems()).isEqualTo(sequential.protectedItems());
        assertThat(parallel.undated()).isEqualTo(sequential.undated());
    }

    private static PruneStrategy unknownToThePlanner(PruneStrategy s) {
        return new PruneStrategy() {
            @Override
            public String name() {
                return s.name();
            }

            @Override
            public List<PruneCandidate> propose(PruneContext context) {
                return s.propose(context);
            }
        };
    }

    @Property(tries = 150)
    void noHighValueItemIsEverRemovedWhenPreserveIsOn(@ForAll long seed) {
        TestStore store = tree(seed);
        PruneConfig config = config(seed, false).toBuilder().preserveHighValue(true).build();
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> before = contents(store);
        Fixtures.op(store, config, null).execute();
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> after = contents(store);
        before.forEach((agent, kinds) -> kinds.forEach((kind, items) -> {
            List<MemoryItem> left = after.get(agent).get(kind);
            for (MemoryItem item : items) {
                if (item.value() >= config.highValueThreshold()) {
                    assertThat(left).as("high-value %s of %s", item.id(), agent).contains(item);
                }
            }
        }));
    }

    @Property(tries = 150)
    void pruningTwiceRemovesNothingTheSecondTime(@ForAll long seed) {
        TestStore store = tree(seed);
        PruneConfig config = config(seed, true);
        Fixtures.op(store, config, null).execute();
        PruneReport second = Fixtures.op(store, config, null).execute();
        assertThat(second.plan().candidates()).isEmpty();
    }

    @Property(tries = 150)
    void nothingTheRulesDidNotSelectIsLostAndSurvivorsKeepTheirOrder(@ForAll long seed) {
        TestStore store = tree(seed);
        PruneConfig config = config(seed, false);
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> before = contents(store);
        PruneReport done = Fixtures.op(store, config, null).execute();
        Map<AgentId, Map<ItemKind, BitSet>> removed = new HashMap<>();
        for (PruneCandidate c : done.candidates()) {
            removed.computeIfAbsent(c.agent(), a -> new EnumMap<>(ItemKind.class))
                    .computeIfAbsent(c.kind(), k -> new BitSet()).set(c.position());
            assertThat(before.get(c.agent()).get(c.kind()).get(c.position()).id()).isEqualTo(c.id());
        }
        Map<AgentId, Map<ItemKind, List<MemoryItem>>> after = contents(store);
        before.forEach((agent, kinds) -> kinds.forEach((kind, items) -> {
            BitSet gone = removed.getOrDefault(agent, Map.of()).getOrDefault(kind, new BitSet());
            List<MemoryItem> expected = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (!gone.get(i)) {
                    expected.add(items.get(i));
                }
            }
            assertThat(after.get(agent).get(kind)).isEqualTo(expected);
        }));
    }
}
