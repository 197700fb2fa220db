package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Property
    void aBucketsUpperBoundIsWithinAQuarterAboveTheValue(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long n) {
        long upper = LatencyRecorder.upperBound(LatencyRecorder.bucketOf(n));
        assertThat(upper).isGreaterThanOrEqualTo(n);
        assertThat((double) upper).isLessThanOrEqualTo(n * 1.25 + 1);
    }

    @Test
    void meanAndPercentile() {
        LatencyRecorder r = new LatencyRecorder();
        assertThat(r.percentileNanos(0.95)).isZero();
        for (int i = 1; i <= 100; i++) {
            r.record(i * 1_000L);
        }
        assertThat(r.count()).isEqualTo(100);
        assertThat(r.meanNanos()).isEqualTo(50_500);
        assertThat(r.percentileNanos(0.95)).isBetween(95_000L, 95_000L * 5 / 4);
        assertThat(r.percentileNanos(0.5)).isBetween(50_000L, 50_000L * 5 / 4);
    }
}
