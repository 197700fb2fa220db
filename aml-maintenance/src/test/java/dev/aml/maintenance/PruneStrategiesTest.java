package dev.aml.maintenance;

import static dev.aml.maintenance.Fixtures.daysAgo;
import static dev.aml.maintenance.Fixtures.decision;
import static dev.aml.maintenance.Fixtures.healthy;
import static dev.aml.maintenance.Fixtures.highValue;
import static dev.aml.maintenance.Fixtures.pattern;
import static dev.aml.maintenance.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.aml.core.AgentId;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.contract.TestItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PruneStrategiesTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final PruneConfig TIME = PruneConfig.builder().strategies(PruneStrategy.timeBased()).build();
    private static final PruneConfig PERF = PruneConfig.builder().strategies(PruneStrategy.performanceBased()).build();

    private static List<String> ids(PrunePlan plan) {
        return plan.candidates().stream().map(PruneCandidate::id).toList();
    }

    @Test
    void timeBasedUsesFlooredWholeDaysAndStrictlyGreater() {
        TestStore store = new TestStore().with(
                healthy("old", "coder", 91),
                healthy("edge", "coder", 90.5),
                healthy("fresh", "coder", 10));
        PrunePlan plan = plan(store, TIME);
        assertThat(plan.candidates()).extracting(PruneCandidate::id, PruneCandidate::reason, PruneCandidate::ageDays)
                .containsExactly(tuple("old", PruneReason.UNUSED_TOO_LONG, 91L));
        assertThat(plan.candidates().get(0).detail()).isEqualTo("unused 91 d > 90 d");
    }

    @Test
    void timeBasedArchivesOldDecisionsAndHonoursSolutionAge() {
        TestStore store = new TestStore().with(
                decision("d-old", "coder", 181, null),
                decision("d-young", "coder", 180.9, null),
                TestItems.solution("s1", "coder", true));
        store.withList(CODER, ItemKind.SOLUTION, List.of(
                solutionAt("s-old", daysAgo(366)),
                TestItems.solution("s-new", "coder", true)));
        PrunePlan plan = plan(store, TIME);
        assertThat(plan.candidates()).extracting(PruneCandidate::id, PruneCandidate::reason, PruneCandidate::archived)
                .containsExactly(
                        tuple("s-old", PruneReason.OUTDATED_SOLUTION, false),
                        tuple("d-old", PruneReason.UNUSED_TOO_LONG, true));
    }

    private static dev.aml.core.Solution solutionAt(String id, java.time.Instant at) {
        dev.aml.core.Solution s = TestItems.solution(id, "coder", true);
        return new dev.aml.core.Solution(s.id(), s.agent(), at, s.problem(), s.solution(), s.effectiveness(), s.tags(),
                s.active(), s.verifiedCount(), s.extra());
    }

    @Test
    void failedPatternsAreJudgedByCreationNotLastUse() {
        TestStore store = new TestStore().with(
                pattern("failed", "coder", 0.1, 5, 0.9, daysAgo(31), daysAgo(1)),
                pattern("failed-but-young", "coder", 0.1, 5, 0.9, daysAgo(29), daysAgo(1)),
                pattern("too-few-runs", "coder", 0.1, 2, 0.9, daysAgo(40), daysAgo(1)),
                pattern("ok-rate", "coder", 0.3, 5, 0.9, daysAgo(40), daysAgo(1)));
        PrunePlan plan = plan(store, TIME);
        assertThat(plan.candidates()).extracting(PruneCandidate::id, PruneCandidate::reason)
                .containsExactly(tuple("failed", PruneReason.LOW_SUCCESS_RATE));
    }

    @Test
    void undatedItemsAreReportedNotAgedAt999Days() {
        TestStore store = new TestStore().with(pattern("nodate", "coder", 0.8, 5, 0.7, null, null),
                healthy("old", "coder", 400));
        PrunePlan plan = plan(store, TIME);
        assertThat(ids(plan)).containsExactly("old");
        assertThat(plan.undated()).extracting(PrunePlan.ItemRef::id).containsExactly("nodate");
    }

    @Test
    void performanceBasedReproducesTheReferenceRules() {
        DecisionOutcome badMetrics = new DecisionOutcome(RawJson.of(Map.of("apiPerformance", 0.4, "speed", 0.4)),
                List.of(), true, List.of(), RawJson.emptyObject());
        TestStore store = new TestStore().with(
                pattern("low-success", "coder", 0.1, 5, 0.9, daysAgo(5), daysAgo(5)),
                pattern("low-confidence", "coder", 0.5, 5, 0.1, daysAgo(5), daysAgo(5)),
                pattern("few-runs", "coder", 0.0, 2, 0.0, daysAgo(5), daysAgo(5)),
                healthy("fine", "coder", 5),
                TestItems.solution("broken", "coder", false),
                TestItems.solution("works", "coder", true),
                decision("regret", "coder", 5, DecisionOutcome.of(false)),
                decision("bad-metrics", "coder", 5, badMetrics),
                decision("happy", "coder", 5, DecisionOutcome.of(true)),
                decision("pending", "coder", 5, null));
        PrunePlan plan = plan(store, PERF);
        assertThat(plan.candidates()).extracting(PruneCandidate::id, PruneCandidate::reason)
                .containsExactly(
                        tuple("low-success", PruneReason.LOW_SUCCESS_RATE),
                        tuple("low-confidence", PruneReason.LOW_CONFIDENCE),
                        tuple("broken", PruneReason.OUTDATED_SOLUTION),
                        tuple("regret", PruneReason.NEGATIVE_OUTCOME),
                        tuple("bad-metrics", PruneReason.NEGATIVE_OUTCOME));
    }

    @Test
    void highValueItemsArePreservedFromEveryStrategy() {
        TestStore store = new TestStore().with(highValue("gold", "coder", 400), healthy("old", "coder", 400));
        PrunePlan plan = plan(store, PruneConfig.defaults());
        assertThat(ids(plan)).containsExactly("old");
        assertThat(plan.protectedItems()).extracting(p -> p.candidate().id(), PrunePlan.Protected::guard)
                .containsExactly(tuple("gold", PrunePlan.Guard.HIGH_VALUE));

        PrunePlan unprotected = plan(store, PruneConfig.builder().preserveHighValue(false).build());
        assertThat(ids(unprotected)).containsExactly("gold", "old");
    }

    @Test
    void itemsNewerThanTheGuardAreNeverRemoved() {
        TestStore store = new TestStore().with(
                pattern("just-failed", "coder", 0.0, 5, 0.5, Fixtures.NOW.minusSeconds(30 * 60),
                        Fixtures.NOW.minusSeconds(30 * 60)),
                pattern("future", "coder", 0.0, 5, 0.5, Fixtures.NOW.plusSeconds(86_400), null),
                pattern("failed", "coder", 0.0, 5, 0.5, daysAgo(2), daysAgo(2)));
        PrunePlan plan = plan(store, PERF);
        assertThat(ids(plan)).containsExactly("failed");
        assertThat(plan.protectedItems()).extracting(PrunePlan.Protected::guard)
                .containsOnly(PrunePlan.Guard.TOO_RECENT).hasSize(2);
        PrunePlan noGuard = plan(store, PERF.toBuilder().protectNewerThanMinutes(0).build());
        assertThat(ids(noGuard)).containsExactly("just-failed", "future", "failed");
    }

    @Test
    void anItemProposedByTwoStrategiesIsCountedOnceWithTheFirstReason() {
        TestStore store = new TestStore().with(pattern("old-and-bad", "coder", 0.05, 9, 0.5, daysAgo(100),
                daysAgo(100)));
        PrunePlan plan = plan(store, PruneConfig.defaults());
        assertThat(plan.candidates()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(PruneReason.UNUSED_TOO_LONG);
            assertThat(c.strategy()).isEqualTo("time_based");
        });
    }

    /**
     * The reference's verified example, reversed: 100 patterns p0..p99 with success = confidence =
     * i/100 and 10 executions over a 10 KiB agent limit. The reference removed p99..p25 (highest value
     * first) and kept p0..p24; we remove the lowest values first and keep p_k..p99 in file order.
     */
    @Test
    void spaceBasedRemovesTheLowestValueFirstDownTo70PercentOfTheLimit() {
        List<Pattern> patterns = IntStream.range(0, 100)
                .mapToObj(i -> pattern("p" + i, "coder", i / 100.0, 10, i / 100.0, daysAgo(1), daysAgo(1)))
                .toList();
        TestStore store = new TestStore().withList(CODER, ItemKind.PATTERN, patterns);
        PruneConfig config = PruneConfig.builder().strategies(PruneStrategy.spaceBased())
                .agentMemoryLimitBytes(10 * 1024).build();
        PrunePlan plan = plan(store, config);

        List<String> removed = ids(plan);
        int k = removed.size();
        assertThat(k).isBetween(1, 99);
        assertThat(removed).isEqualTo(IntStream.range(0, k).mapToObj(i -> "p" + i).toList());
        assertThat(removed).doesNotContain("p99");
        assertThat(plan.candidates()).allSatisfy(c -> assertThat(c.reason()).isEqualTo(PruneReason.MEMORY_LIMIT_EXCEEDED));
        long survivorBytes = patterns.subList(k, 100).stream()
                .mapToLong(dev.aml.maintenance.internal.prune.ItemSizes::compactSize).sum();
        long lastRemoved = dev.aml.maintenance.internal.prune.ItemSizes.compactSize(patterns.get(k - 1));
        assertThat(survivorBytes).isLessThanOrEqualTo((long) (0.7 * 10 * 1024));
        assertThat(survivorBytes + lastRemoved).isGreaterThan((long) (0.7 * 10 * 1024));
    }

    @Test
    void spaceBasedSkipsProtectedItemsAndCountsEarlierProposals() {
        List<MemoryItem> patterns = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            patterns.add(i == 3 ? highValue("p3", "coder", 1)
                    : pattern("p" + i, "coder", i / 100.0, 10, i / 100.0, daysAgo(1), daysAgo(1)));
        }
        TestStore store = new TestStore().withList(CODER, ItemKind.PATTERN, patterns);
        PruneConfig config = PruneConfig.builder().strategies(PruneStrategy.spaceBased())
                .agentMemoryLimitBytes(10 * 1024).build();
        List<String> removed = ids(plan(store, config));
        assertThat(removed).doesNotContain("p3").contains("p0", "p1", "p2", "p4");

        PruneConfig timeThenSpace = config.toBuilder().strategies(PruneStrategy.timeBased(), PruneStrategy.spaceBased())
                .patternMaxAgeDays(0).build();
        PrunePlan both = plan(store, timeThenSpace);
        assertThat(both.candidates()).allSatisfy(c -> assertThat(c.strategy()).isEqualTo("time_based"));
        assertThat(both.candidates()).hasSize(49);
    }

    @Test
    void spaceBasedDoesNothingUnderTheLimits() {
        TestStore store = new TestStore().with(healthy("a", "coder", 1), healthy("b", "coder", 1));
        assertThat(plan(store, PruneConfig.builder().strategies(PruneStrategy.spaceBased()).build()).isEmpty())
                .isTrue();
    }

    @Test
    void aBrokenUserStrategySkipsTheAgentAndNamesTheStrategy() {
        PruneStrategy broken = new PruneStrategy() {
            @Override
            public String name() {
                return "my_rule";
            }

            @Override
            public List<PruneCandidate> propose(PruneContext ctx) {
                if (ctx.agent().name().equals("coder")) {
                    throw new IllegalStateException("boom");
                }
                return List.of(ctx.candidate(ItemKind.PATTERN, 0, PruneReason.MANUAL_DELETION, "asked"));
            }
        };
        PruneStrategy liar = new PruneStrategy() {
            @Override
            public String name() {
                return "liar";
            }

            @Override
            public List<PruneCandidate> propose(PruneContext ctx) {
                PruneCandidate c = ctx.candidate(ItemKind.PATTERN, 0, PruneReason.MANUAL_DELETION, "x");
                return List.of(new PruneCandidate(c.agent(), c.kind(), "not-there", 0, c.reason(), "liar", "",
                        -1, 0, 0, 0, 0, 10));
            }
        };
        TestStore store = new TestStore().with(healthy("c1", "coder", 1), healthy("t1", "tester", 1));
        PrunePlan plan = plan(store, PruneConfig.builder().strategies(PruneStrategy.timeBased(), broken).build());
        assertThat(ids(plan)).containsExactly("t1");
        assertThat(plan.agents()).containsExactly(AgentId.of("tester"));
        assertThat(plan.errors()).singleElement().asString()
                .contains("'coder'", "strategy 'my_rule' failed", "boom", "nothing of it was pruned");

        PrunePlan lied = plan(store, PruneConfig.builder().strategies(liar).build());
        assertThat(lied.candidates()).isEmpty();
        assertThat(lied.errors()).hasSize(2).allSatisfy(e -> assertThat(e).contains("'liar'", "not-there"));
    }

    @Test
    void unreadableAgentsAndUnknownFilterNamesAreErrors() {
        TestStore store = new TestStore().with(healthy("old", "coder", 400), healthy("old2", "tester", 400));
        store.unreadable.put(AgentId.of("broken"),
                new dev.aml.core.CorruptDataException("broken/patterns.json is not valid JSON at byte 3."));
        PrunePlan all = plan(store, PruneConfig.defaults());
        assertThat(ids(all)).containsExactly("old", "old2");
        assertThat(all.errors()).singleElement().asString().contains("'broken'", "not valid JSON", "restore");

        PrunePlan filtered = plan(store, PruneConfig.builder().agents(AgentId.of("tester"), AgentId.of("ghost"))
                .build());
        assertThat(ids(filtered)).containsExactly("old2");
        assertThat(filtered.errors()).singleElement().asString().contains("'ghost' has no memory");
    }
}
