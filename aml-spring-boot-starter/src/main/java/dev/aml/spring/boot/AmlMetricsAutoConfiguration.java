package dev.aml.spring.boot;

import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.micrometer.AmlMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer and aml-micrometer on the class path: the {@link AmlMetrics} binder (Spring Boot
 * binds every {@code MeterBinder} bean to its registries) and, as the application's {@link Monitor},
 * the binder's monitor, so every health run (the Actuator endpoint's, the scheduler's) refreshes the
 * gauges.
 */
@AutoConfiguration(after = AmlAutoConfiguration.class)
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.aml.micrometer.AmlMetrics"})
@ConditionalOnBean(MemoryManager.class)
public class AmlMetricsAutoConfiguration {

    /**
     * @param aml the manager
     * @return its meters (thresholds: the manager's monitor settings)
     */
    @Bean
    @ConditionalOnMissingBean
    public AmlMetrics amlMetrics(MemoryManager aml) {
        return AmlMetrics.of(aml);
    }

    /**
     * @param metrics the meters
     * @return their monitor
     */
    @Bean
    @ConditionalOnMissingBean
    public Monitor amlMonitor(AmlMetrics metrics) {
        return metrics.monitor();
    }
}
