package dev.aml.spring.boot;

import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.Monitor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot's health support on the class path: {@link AmlHealthIndicator} as the health
 * component {@code aml} ({@code management.health.aml.enabled=false} turns it off).
 */
@AutoConfiguration(after = AmlMaintenanceAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean({MemoryManager.class, Monitor.class})
@ConditionalOnEnabledHealthIndicator("aml")
public class AmlHealthAutoConfiguration {

    /**
     * @param aml the manager (its clock)
     * @param monitor runs the checks
     * @param properties {@code aml.health.max-age}
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "amlHealthIndicator")
    public AmlHealthIndicator amlHealthIndicator(MemoryManager aml, Monitor monitor, AmlProperties properties) {
        return new AmlHealthIndicator(monitor, aml.clock(), properties.getHealth().getMaxAge());
    }
}
