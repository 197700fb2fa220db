package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.Threshold;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {

    @Test
    void defaultsAreTheQuickReferenceThresholds() {
        MonitorConfig c = MonitorConfig.defaults();
        assertThat(c.agentMemoryMb()).isEqualTo(new Threshold(60, 80, true));
        assertThat(c.globalMemoryMb()).isEqualTo(new Threshold(600, 800, true));
        assertThat(c.patternAgeDays()).isEqualTo(new Threshold(60, 90, true));
        assertThat(c.successRate()).isEqualTo(new Threshold(0.30, 0.20, false));
        assertThat(c.queryTimeMillis()).isEqualTo(new Threshold(50, 100, true));
        assertThat(c.cacheHitRate()).isEqualTo(new Threshold(0.60, 0.50, false));
        assertThat(c.indexMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(c.backupMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(c.alertRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.metricsHistoryLimit()).isEqualTo(1000);
    }

    @Test
    void builderSetsEachOptionOnceAndToBuilderKeepsValues() {
        MonitorConfig c = MonitorConfig.builder().queryTimeMillis(20, 40).cacheHitRate(0.7, 0.5).build();
        assertThat(c.queryTimeMillis()).isEqualTo(Threshold.atLeast(20, 40));
        MonitorConfig d = c.toBuilder().alertRetention(Duration.ofDays(1)).build();
        assertThat(d.queryTimeMillis()).isEqualTo(c.queryTimeMillis());
        assertThat(d.cacheHitRate()).isEqualTo(Threshold.below(0.7, 0.5));
        assertThat(c.toBuilder().queryTimeMillis(1, 2).build().queryTimeMillis()).isEqualTo(Threshold.atLeast(1, 2));
        assertThatThrownBy(() -> MonitorConfig.builder().queryTimeMillis(1, 2).queryTimeMillis(3, 4))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("queryTimeMillis was already set");
    }

    @Test
    void invalidValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> MonitorConfig.builder().agentMemoryMb(80, 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("critical level 60");
        assertThatThrownBy(() -> MonitorConfig.builder().cacheHitRate(0.5, 0.6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorConfig.builder().successRate(1.5, 0.2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("successRate");
        assertThatThrownBy(() -> MonitorConfig.builder().metricsHistoryLimit(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metricsHistoryLimit");
        assertThatThrownBy(() -> MonitorConfig.builder().indexMaxAge(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("indexMaxAge");
        assertThatThrownBy(() -> MonitorConfig.builder().globalMemoryMb(-1, 5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("globalMemoryMb");
    }

    @Test
    void thresholdsCompareAtOrAboveForSizesAndStrictlyBelowForRates() {
        Threshold t = Threshold.atLeast(50, 100);
        assertThat(t.evaluate(49.999)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(t.evaluate(50)).isEqualTo(HealthStatus.WARNING);
        assertThat(t.evaluate(100)).isEqualTo(HealthStatus.CRITICAL);
        Threshold r = Threshold.below(0.6, 0.5);
        assertThat(r.evaluate(0.6)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(r.evaluate(0.5999)).isEqualTo(HealthStatus.WARNING);
        assertThat(r.evaluate(0.5)).isEqualTo(HealthStatus.WARNING);
        assertThat(r.evaluate(0.4999)).isEqualTo(HealthStatus.CRITICAL);
        assertThat(Threshold.warningAt(24).evaluate(1e9)).isEqualTo(HealthStatus.WARNING);
        assertThatThrownBy(() -> Threshold.atLeast(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
