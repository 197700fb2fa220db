/**
 * Monitoring, health checks, alerts, the advisor and the scheduler behind
 * {@link dev.aml.maintenance.Monitor}, {@link dev.aml.maintenance.Advice} and
 * {@link dev.aml.maintenance.MaintenanceScheduler}. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.monitor;

import org.jspecify.annotations.NullMarked;
