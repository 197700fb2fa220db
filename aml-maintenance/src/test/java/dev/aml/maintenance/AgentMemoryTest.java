package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aml.core.AgentId;
import dev.aml.core.Decision;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.core.Solution;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentMemoryTest {

    private final MutableClock clock = new MutableClock(TestItems.NOW);
    private final MemoryManager aml = MemoryManager.builder().clock(clock).build();
    private final AgentMemory coder = aml.agent("coder");

    @AfterEach
    void close() {
        aml.close();
    }

    @Test
    void recordGivesLoomsStartingValuesAndAUuid() {
        Pattern p = coder.patterns().record(PatternDraft.of("retry", Map.of("protocol", "http"))
                .approach("exponential backoff", "transient faults").tags("http", "resilience"));
        assertThat(p.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(p.agent()).isEqualTo("coder");
        assertThat(p.timestamp()).isEqualTo(TestItems.NOW);
        assertThat(p.metrics().successRate()).isEqualTo(0.5);
        assertThat(p.metrics().executionCount()).isEqualTo(1);
        assertThat(p.evolution().confidenceScore()).isEqualTo(0.3);
        assertThat(p.evolution().created()).isEqualTo(TestItems.NOW);
        assertThat(p.evolution().lastUsed()).isEqualTo(TestItems.NOW);
        assertThat(p.active()).isTrue();
        assertThat(p.tags()).containsExactly("http", "resilience");
        assertThat(p.pattern().json()).isEqualTo("{\"type\":\"retry\",\"context\":{\"protocol\":\"http\"},"
                + "\"approach\":{\"technique\":\"exponential backoff\",\"rationale\":\"transient faults\"},"
                + "\"conditions\":{\"whenApplicable\":[],\"whenNotApplicable\":[]}}");
        assertThat(coder.patterns().get(p.id())).contains(p);
        assertThat(aml.store().find(AgentId.of("coder"), ItemKind.PATTERN, p.id())).contains(p);
    }

    @Test
    void idsAreUniqueForThousandsOfRecordsInOneMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            ids.add(coder.decisions().record(DecisionDraft.of("api", "REST or gRPC?", "REST")).id());
        }
        assertThat(ids).hasSize(5_000);
        assertThat(aml.store().items(AgentId.of("coder"), ItemKind.DECISION)).hasSize(5_000);
    }

    @Test
    void recordOutcomeAppliesLoomsPatternFormulas() {
        Pattern p = coder.patterns().record(PatternDraft.of("retry", Map.of()));
        clock.advance(Duration.ofHours(2));
        Pattern after = coder.patterns().recordOutcome(p.id(), Outcome.success(Duration.ofMillis(120)));
        assertThat(after.metrics().executionCount()).isEqualTo(2);
        assertThat(after.metrics().successRate()).isCloseTo(0.75, within(1e-12));
        assertThat(after.metrics().avgTimeSavedMs()).isCloseTo(60, within(1e-12));
        assertThat(after.evolution().confidenceScore()).isCloseTo(0.33, within(1e-12));
        assertThat(after.evolution().lastUsed()).isEqualTo(TestItems.NOW.plus(Duration.ofHours(2)));
        assertThat(after.evolution().refinements()).isEqualTo(1);
        Pattern failed = coder.patterns().recordOutcome(p.id(), Outcome.failure());
        assertThat(failed.metrics().successRate()).isCloseTo(0.5, within(1e-12));
        assertThat(failed.evolution().confidenceScore()).isCloseTo(0.297, within(1e-12));
        assertThat(coder.patterns().get(p.id())).contains(failed);
    }

    @Test
    void theLearningRateIsTheManagers() {
        try (MemoryManager fast = MemoryManager.builder().clock(clock).learningRate(0.5).build()) {
            ItemMemory<Pattern, PatternDraft> patterns = fast.agent("coder").patterns();
            Pattern p = patterns.record(PatternDraft.of("retry", Map.of()));
            assertThat(patterns.recordOutcome(p.id(), Outcome.success()).confidence()).isCloseTo(0.45, within(1e-12));
        }
    }

    @Test
    void solutionsAndDecisionsLearnToo() {
        Solution s = coder.solutions().record(SolutionDraft.of("TypeError", "x is undefined")
                .rootCause("missing guard").fixApproach("null check").prevention("lint").timeToFixMinutes(15));
        assertThat(s.verifiedCount()).isEqualTo(1);
        assertThat(s.effectiveness().worked()).isTrue();
        assertThat(s.confidence()).isCloseTo(0.75, within(1e-12));
        Solution verified = coder.solutions().recordOutcome(s.id(), Outcome.success(Duration.ofMinutes(5)));
        assertThat(verified.verifiedCount()).isEqualTo(2);
        assertThat(verified.effectiveness().preventedRecurrence()).isEqualTo(1);
        assertThat(verified.effectiveness().timeToFixMinutes()).isEqualTo(5);

        Decision d = coder.decisions().record(DecisionDraft.of("architecture", "REST or gRPC?", "REST")
                .alternatives("gRPC").primaryFactors("team skills").rationale("simple"));
        assertThat(d.outcome()).isNull();
        clock.advance(Duration.ofDays(1));
        Decision reviewed = coder.decisions().recordOutcome(d.id(), Outcome.failure());
        assertThat(reviewed.outcome()).isNotNull();
        assertThat(reviewed.outcome().wouldRepeat()).isFalse();
        assertThat(reviewed.reviewedAt()).isEqualTo(TestItems.NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void updateAndDelete() {
        Pattern p = coder.patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        Pattern off = coder.patterns().update(p.id(), x -> x.withActive(false));
        assertThat(off.active()).isFalse();
        assertThat(coder.patterns().query(MemoryQuery.patterns())).isEmpty();
        assertThat(coder.patterns().query(MemoryQuery.patterns().activeOnly(false))).containsExactly(off);
        assertThat(coder.patterns().delete(p.id())).isTrue();
        assertThat(coder.patterns().delete(p.id())).isFalse();
        assertThat(coder.patterns().get(p.id())).isEmpty();
        assertThatThrownBy(() -> coder.patterns().recordOutcome(p.id(), Outcome.success()))
                .isInstanceOf(ItemNotFoundException.class).hasMessageContaining(p.id());
    }

    @Test
    void queriesAreScopedToTheAgentAndKind() {
        Pattern mine = coder.patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        aml.agent("tester").patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        coder.decisions().record(DecisionDraft.of("api", "q?", "a").tags("http"));
        assertThat(coder.patterns().query(MemoryQuery.builder().tags("http"))).containsExactly(mine);
        assertThat(coder.query(MemoryQuery.builder().tags("http"))).hasSize(2);
        assertThat(aml.query(MemoryQuery.patterns().tags("http"))).hasSize(2);
        assertThatThrownBy(() -> coder.patterns().query(MemoryQuery.decisions()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MemoryQuery.patterns()");
        assertThatThrownBy(() -> coder.patterns().query(MemoryQuery.patterns().agents("tester")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MemoryManager.query");
    }

    @Test
    void topPatternsByWeightAfterOutcomes() {
        Pattern good = coder.patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        Pattern bad = coder.patterns().record(PatternDraft.of("poll", Map.of()).tags("http"));
        for (int i = 0; i < 5; i++) {
            coder.patterns().recordOutcome(good.id(), Outcome.success());
            coder.patterns().recordOutcome(bad.id(), Outcome.failure());
        }
        List<Pattern> best = coder.patterns().query(MemoryQuery.patterns().tags("http").rankBy(Rank.WEIGHT).limit(10));
        assertThat(best).extracting(MemoryItem::id).containsExactly(good.id(), bad.id());
        assertThat(coder.patterns().query(MemoryQuery.patterns().minSuccessRate(0.6))).extracting(MemoryItem::id)
                .containsExactly(good.id());
    }

    @Test
    void draftsRejectWhatLoomCannotStore() {
        assertThatThrownBy(() -> PatternDraft.of("retry", Map.of("nested", Map.of("a", 1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'nested'");
        assertThatThrownBy(() -> PatternDraft.of(" ", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> PatternDraft.of("retry", Map.of("x", Double.NaN)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PatternDraft.of("retry", Map.of()).tags("a").tags("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[a]");
        assertThatThrownBy(() -> SolutionDraft.of("E", "m").timeToFixMinutes(-1))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DecisionDraft.of("t", "", "a")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("question");
        assertThatThrownBy(() -> aml.agent("../etc")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void recordUsesTheClockTruncatedToMilliseconds() {
        clock.advance(Duration.ofNanos(1_234_567));
        Instant t = coder.solutions().record(SolutionDraft.of("E", "m")).timestamp();
        assertThat(t).isEqualTo(TestItems.NOW.plusMillis(1));
    }
}
