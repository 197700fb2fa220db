package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PruneConfigTest {

    @Test
    void defaultsAreTheReferenceValues() {
        PruneConfig c = PruneConfig.defaults();
        assertThat(c.strategyNames()).containsExactly("time_based", "performance_based");
        assertThat(c.agents()).isEmpty();
        assertThat(c.patternMaxAgeDays()).isEqualTo(90);
        assertThat(c.decisionMaxAgeDays()).isEqualTo(180);
        assertThat(c.failedPatternMaxAgeDays()).isEqualTo(30);
        assertThat(c.solutionMaxAgeDays()).isEqualTo(365);
        assertThat(c.minSuccessRate()).isEqualTo(0.20);
        assertThat(c.minConfidenceScore()).isEqualTo(0.15);
        assertThat(c.minExecutionCount()).isEqualTo(3);
        assertThat(c.failedPatternSuccessRate()).isEqualTo(0.30);
        assertThat(c.agentMemoryLimitBytes()).isEqualTo(83_886_080L);
        assertThat(c.globalMemoryLimitBytes()).isEqualTo(838_860_800L);
        assertThat(c.spaceTargetFraction()).isEqualTo(0.70);
        assertThat(c.preserveHighValue()).isTrue();
        assertThat(c.highValueThreshold()).isEqualTo(0.85);
        assertThat(c.protectNewerThanMinutes()).isEqualTo(60);
        assertThat(c.createBackup()).isTrue();
    }

    @Test
    void aggressiveChangesOnlyTheSeedsThreeFields() {
        PruneConfig a = PruneConfig.aggressive();
        assertThat(a.patternMaxAgeDays()).isEqualTo(60);
        assertThat(a.decisionMaxAgeDays()).isEqualTo(120);
        assertThat(a.minSuccessRate()).isEqualTo(0.30);
        assertThat(a.toBuilder().patternMaxAgeDays(90).decisionMaxAgeDays(180).minSuccessRate(0.20).build())
                .isEqualTo(PruneConfig.defaults());
    }

    @Test
    void builderSetsEachOptionOnce() {
        PruneConfig.Builder b = PruneConfig.builder().patternMaxAgeDays(10);
        assertThatThrownBy(() -> b.patternMaxAgeDays(20))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("patternMaxAgeDays was already set to 10");
        PruneConfig c = PruneConfig.builder()
                .strategies(PruneStrategy.spaceBased())
                .agents(AgentId.of("coder"))
                .createBackup(false)
                .build();
        assertThat(c.strategies()).containsExactly(PruneStrategy.spaceBased());
        assertThat(c.covers(AgentId.of("coder"))).isTrue();
        assertThat(c.covers(AgentId.of("tester"))).isFalse();
        assertThat(c.createBackup()).isFalse();
    }

    @Test
    void invalidValuesNameFieldValueAndRange() {
        assertThatThrownBy(() -> PruneConfig.builder().minSuccessRate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSuccessRate must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> PruneConfig.builder().patternMaxAgeDays(-1).build())
                .hasMessage("patternMaxAgeDays must be in [0, 36500] days, was -1");
        assertThatThrownBy(() -> PruneConfig.builder().agentMemoryLimitBytes(0).build())
                .hasMessage("agentMemoryLimitBytes must be > 0 bytes, was 0");
        assertThatThrownBy(() -> PruneConfig.builder().spaceTargetFraction(0).build())
                .hasMessage("spaceTargetFraction must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> PruneConfig.builder().highValueThreshold(Double.NaN).build())
                .hasMessageContaining("highValueThreshold must be in [0, 1], was NaN");
        assertThatThrownBy(() -> PruneConfig.builder().strategies(List.of()).build())
                .hasMessageContaining("at least one strategy");
        assertThatThrownBy(() -> PruneConfig.builder()
                .strategies(PruneStrategy.timeBased(), PruneStrategy.timeBased()).build())
                .hasMessageContaining("lists 'time_based' twice");
        assertThatThrownBy(() -> PruneConfig.builder().protectNewerThanMinutes(-5).build())
                .hasMessageContaining("protectNewerThanMinutes must be in [0, 525600], was -5");
    }

    @Test
    void strategiesAreFoundByTheirCliNames() {
        assertThat(PruneStrategy.named("time_based")).isSameAs(PruneStrategy.timeBased());
        assertThat(PruneStrategy.named("Performance-Based")).isSameAs(PruneStrategy.performanceBased());
        assertThat(PruneStrategy.named("space_based")).isSameAs(PruneStrategy.spaceBased());
        assertThatThrownBy(() -> PruneStrategy.named("manual"))
                .hasMessageContaining("Unknown prune strategy 'manual'");
        assertThat(PruneReason.fromValue("low_success_rate")).isEqualTo(PruneReason.LOW_SUCCESS_RATE);
        assertThat(PruneReason.MEMORY_LIMIT_EXCEEDED.value()).isEqualTo("memory_limit_exceeded");
    }
}
