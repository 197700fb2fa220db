package dev.aml.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LearningTest {

    @Property
    void confidenceStaysInBoundsAndAboveTheFloorAfterFailure(@ForAll @DoubleRange(min = -1, max = 2) double c,
            @ForAll boolean success, @ForAll @DoubleRange(min = 0, max = 1) double lr) {
        double next = Learning.confidenceAfter(c, success, lr);
        assertThat(next).isBetween(0.0, 1.0);
        if (!success) {
            assertThat(next).isGreaterThanOrEqualTo(Learning.CONFIDENCE_FLOOR);
        }
    }

    @Property
    void successNeverLowersAndFailureNeverRaisesConfidence(@ForAll @DoubleRange(min = 0, max = 1) double c,
            @ForAll @DoubleRange(min = 0, max = 1) double lr) {
        assertThat(Learning.confidenceAfter(c, true, lr)).isGreaterThanOrEqualTo(c);
        assertThat(Learning.confidenceAfter(c, false, lr)).isLessThanOrEqualTo(Math.max(c, Learning.CONFIDENCE_FLOOR));
    }

    @Test
    void nineSuccessesTakeANewPatternFromPointThreeToPointSeven() {
        double c = Evolution.NEW_CONFIDENCE;
        int steps = 0;
        while (c < 0.7) {
            c = Learning.confidenceAfter(c, true, Learning.DEFAULT_LEARNING_RATE);
            steps++;
        }
        assertThat(steps).isEqualTo(9);
    }

    @Test
    void rejectsLearningRatesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> Learning.confidenceAfter(0.5, true, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> Learning.confidenceAfter(0.5, true, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void successRateIsTheRunningMeanOfOutcomes(@ForAll @DoubleRange(min = 0, max = 1) double rate,
            @ForAll @LongRange(min = 0, max = 1_000_000) long before, @ForAll boolean success) {
        double next = Learning.successRateAfter(rate, before, success);
        assertThat(next).isBetween(0.0, 1.0);
        assertThat(next).isCloseTo((rate * before + (success ? 1 : 0)) / (before + 1), within(1e-9));
        if (success) {
            assertThat(next).isGreaterThanOrEqualTo(rate - 1e-12);
        } else {
            assertThat(next).isLessThanOrEqualTo(rate + 1e-12);
        }
    }

    @Test
    void aNewPatternThatSucceedsOnceHasRateThreeQuarters() {
        // creation counts as one observation worth 0.5 (executionCount 1): (0.5·1 + 1)/2
        assertThat(Learning.successRateAfter(0.5, 1, true)).isEqualTo(0.75);
    }

    @Property
    void averageTimeSavedChangesOnlyOnTimedSuccess(@ForAll @DoubleRange(min = 0, max = 1e6) double avg,
            @ForAll @LongRange(min = 0, max = 10_000) long before, @ForAll @LongRange(min = 0, max = 100_000) long ms) {
        assertThat(Learning.avgTimeSavedAfter(avg, before, false, Duration.ofMillis(ms))).isEqualTo(avg);
        double next = Learning.avgTimeSavedAfter(avg, before, true, Duration.ofMillis(ms));
        if (ms == 0) {
            assertThat(next).isEqualTo(avg);
        } else {
            assertThat(next).isCloseTo((avg * before + ms) / (before + 1), within(1e-6));
        }
    }

    @Property
    void weightsAndValueStayInTheUnitInterval(@ForAll @DoubleRange(min = -1, max = 2) double rate,
            @ForAll @DoubleRange(min = -1, max = 2) double conf, @ForAll @LongRange(min = -5, max = 100_000) long n,
            @ForAll @DoubleRange(min = -10, max = 100_000) double days, @ForAll boolean flag) {
        assertThat(Learning.patternWeight(rate, days, n, conf)).isBetween(0.0, 1.0);
        assertThat(Learning.solutionWeight(conf, days)).isBetween(0.0, 1.0);
        assertThat(Learning.decisionWeight(conf, days, flag)).isBetween(0.0, 1.0);
        assertThat(Learning.valueScore(rate, conf, n, days)).isBetween(0.0, 1.0);
    }

    @Property
    void patternWeightGrowsWithSuccessAndConfidenceAndFallsWithAge(
            @ForAll @DoubleRange(min = 0, max = 0.9) double rate, @ForAll @DoubleRange(min = 0, max = 0.9) double conf,
            @ForAll @DoubleRange(min = 0, max = 300) double days, @ForAll @LongRange(min = 0, max = 1000) long n) {
        double w = Learning.patternWeight(rate, days, n, conf);
        assertThat(Learning.patternWeight(rate + 0.1, days, n, conf)).isGreaterThan(w);
        assertThat(Learning.patternWeight(rate, days, n, conf + 0.1)).isGreaterThan(w);
        assertThat(Learning.patternWeight(rate, days + 1, n, conf)).isLessThan(w);
    }

    @Test
    void patternWeightMatchesLoomFormula() {
        double expected = 0.4 * 0.8 + 0.3 * Math.exp(-15 / 30d) + 0.15 * 0.5 + 0.15 * 0.6;
        assertThat(Learning.patternWeight(0.8, 15, 50, 0.6)).isCloseTo(expected, within(1e-12));
        assertThat(Learning.patternWeight(0.8, Double.POSITIVE_INFINITY, 50, 0.6))
                .isCloseTo(0.4 * 0.8 + 0.15 * 0.5 + 0.15 * 0.6, within(1e-12));
    }

    @Test
    void solutionAndDecisionConfidenceMatchLoom() {
        assertThat(Learning.solutionConfidence(true, 1, 0)).isCloseTo(0.75, within(1e-12));
        assertThat(Learning.solutionConfidence(false, 1, 0)).isCloseTo(0.35, within(1e-12));
        assertThat(Learning.solutionConfidence(true, 100, 100)).isCloseTo(1.0, within(1e-12));
        assertThat(Learning.decisionConfidence(Double.NaN, false, false)).isEqualTo(0.5);
        assertThat(Learning.decisionConfidence(Double.NaN, true, true)).isCloseTo(0.6, within(1e-12));
        assertThat(Learning.decisionConfidence(0.05, true, false)).isEqualTo(0.1);
    }

    @Test
    void valueScoreMatchesTheReferencePruner() {
        assertThat(Learning.valueScore(0.5, 0.3, 1, 0)).isCloseTo(0.4 * 0.5 + 0.3 * 0.3 + 0.2 * (1 / 50d), within(1e-12));
        assertThat(Learning.valueScore(1, 1, 50, 1000)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void ageDaysIsFlooredWholeDays() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        assertThat(Learning.ageDays(now.minus(Duration.ofHours(47)), now)).isEqualTo(1);
        assertThat(Learning.ageDays(now.minus(Duration.ofDays(90).plusHours(12)), now)).isEqualTo(90);
        assertThat(Learning.ageDays(now.plus(Duration.ofHours(1)), now)).isEqualTo(-1);
        assertThat(Learning.daysSince(null, now)).isInfinite();
        assertThat(Learning.daysSince(now.plusSeconds(60), now)).isZero();
    }
}
