package dev.aml.spring.boot;

import dev.aml.maintenance.MaintenanceScheduler;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.micrometer.AmlMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link Monitor} (when the metrics configuration gave none) and, with
 * {@code aml.maintenance.enabled=true}, the seed's maintenance plan as {@link AmlMaintenance}.
 */
@AutoConfiguration(after = {AmlAutoConfiguration.class, AmlMetricsAutoConfiguration.class})
@ConditionalOnBean(MemoryManager.class)
public class AmlMaintenanceAutoConfiguration {

    /**
     * @param aml the manager
     * @return its monitor, with the manager's thresholds
     */
    @Bean
    @ConditionalOnMissingBean
    public Monitor amlMonitor(MemoryManager aml) {
        return aml.monitor();
    }

    /** The plan, off by default. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "aml.maintenance", name = "enabled", havingValue = "true")
    static class SchedulerConfiguration {

        /**
         * @param aml the manager
         * @param monitor runs the health task and gets the failure alerts
         * @return the plan on one daemon thread named {@code aml-maintenance}
         */
        @Bean
        @ConditionalOnMissingBean
        AmlMaintenance amlMaintenance(MemoryManager aml, Monitor monitor) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aml-maintenance");
                t.setDaemon(true);
                return t;
            });
            return new AmlMaintenance(MaintenanceScheduler.seedPlan(aml, monitor, executor).build(), executor);
        }

        /** The plan's meters, with Micrometer. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.aml.micrometer.AmlMetrics"})
        static class SchedulerMetricsConfiguration {
            /**
             * @param maintenance the plan
             * @return {@code aml.maintenance.last.outcome} per task
             */
            @Bean
            @ConditionalOnMissingBean(name = "amlMaintenanceMetrics")
            MeterBinder amlMaintenanceMetrics(AmlMaintenance maintenance) {
                return AmlMetrics.maintenance(maintenance.scheduler());
            }
        }
    }
}
