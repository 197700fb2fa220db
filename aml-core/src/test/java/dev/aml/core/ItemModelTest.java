package dev.aml.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aml.core.contract.TestItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemModelTest {

    private static final java.time.Instant NOW = TestItems.NOW;

    @Test
    void patternOutcomeAppliesEveryLoomUpdate() {
        Pattern p = TestItems.pattern("p1", "coder", 0.5, 1, 0.3, NOW.minusSeconds(3600));
        Pattern next = p.withOutcome(Outcome.success(Duration.ofMillis(200)), NOW, 0.1);

        assertThat(next.metrics().executionCount()).isEqualTo(2);
        assertThat(next.metrics().successRate()).isEqualTo(0.75);
        assertThat(next.metrics().avgTimeSavedMs()).isCloseTo((100 * 1 + 200) / 2d, within(1e-9));
        assertThat(next.evolution().confidenceScore()).isCloseTo(0.33, within(1e-12));
        assertThat(next.evolution().lastUsed()).isEqualTo(NOW);
        assertThat(next.evolution().refinements()).isEqualTo(1);
        assertThat(next.id()).isEqualTo("p1");
        assertThat(p.metrics().executionCount()).as("the original is unchanged").isEqualTo(1);
    }

    @Test
    void solutionOutcomeIsAVerification() {
        Solution s = TestItems.solution("s1", "coder", false);
        Solution next = s.withOutcome(Outcome.success(Duration.ofMinutes(7)));
        assertThat(next.effectiveness().worked()).isTrue();
        assertThat(next.verifiedCount()).isEqualTo(2);
        assertThat(next.effectiveness().preventedRecurrence()).isEqualTo(1);
        assertThat(next.effectiveness().timeToFixMinutes()).isCloseTo(7, within(1e-9));
        assertThat(next.successRate()).isEqualTo(1);
        assertThat(next.confidence()).isCloseTo(0.7 + 0.1 + 0.02, within(1e-12));
    }

    @Test
    void decisionOutcomeSetsWouldRepeatAndReviewTime() {
        Decision d = TestItems.decision("d1", "coder", null);
        assertThat(d.successRate()).isEqualTo(0.5);
        assertThat(d.negativeOutcome()).isFalse();
        Decision next = d.withOutcome(Outcome.failure(), NOW);
        assertThat(next.outcome()).isNotNull();
        assertThat(next.outcome().wouldRepeat()).isFalse();
        assertThat(next.reviewedAt()).isEqualTo(NOW);
        assertThat(next.negativeOutcome()).isTrue();
        assertThat(next.confidence()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void decisionNegativeRuleUsesTheMetricsAverageFirst() {
        DecisionOutcome low = new DecisionOutcome(RawJson.of(Map.of("apiPerformance", 0.2, "clientSatisfaction", 0.4)),
                List.of(), true, List.of(), RawJson.emptyObject());
        DecisionOutcome high = new DecisionOutcome(RawJson.of(Map.of("apiPerformance", 0.9,
                "customMetrics", Map.of("x", 0.0))), List.of(), true, List.of(), RawJson.emptyObject());
        assertThat(low.negative()).isTrue();
        assertThat(low.successMetricsAverage().getAsDouble()).isCloseTo(0.3, within(1e-12));
        assertThat(high.negative()).as("nested objects are not averaged").isFalse();
        assertThat(high.confidenceMetricsMean()).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void recordsCopyTheirListsAndRejectNonFiniteNumbers() {
        List<String> tags = new ArrayList<>(List.of("a"));
        Pattern p = TestItems.pattern("p1", "coder").withTags(tags);
        tags.add("b");
        assertThat(p.tags()).containsExactly("a");
        assertThatThrownBy(() -> new PatternMetrics(Double.NaN, 0, 0, 0, RawJson.emptyObject()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("successRate");
    }

    @Test
    void lastUsedFallsBackToTheTimestamp() {
        Pattern p = TestItems.pattern("p1", "coder");
        Pattern noLastUse = new Pattern(p.id(), p.agent(), p.timestamp(), p.pattern(), p.metrics(),
                new Evolution(null, null, 0, 0.5, RawJson.emptyObject()), p.tags(), true, p.extra());
        assertThat(noLastUse.lastUsed()).isEqualTo(p.timestamp());
    }

    @Test
    void bodySearchIsCaseInsensitiveOverValuesOnly() {
        Pattern p = TestItems.pattern("p1", "coder");
        assertThat(p.bodyContains("BACKOFF")).isTrue();
        assertThat(p.bodyContains("technique")).as("keys are not searched").isFalse();
        assertThat(TestItems.solution("s", "a", true).bodyContains("null check")).isTrue();
    }
}
