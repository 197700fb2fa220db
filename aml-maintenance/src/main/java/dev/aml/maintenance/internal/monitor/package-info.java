/**
 * Monitoring, health checks, alerts, the advisor and the scheduler behind
 * {@link dev.aml.maintenance.monitor.Monitor}, {@link dev.aml.maintenance.Advice} and
 * {@link dev.aml.maintenance.MaintenanceScheduler}: {@code DefaultMonitor} measures and records,
 * {@code HealthEvaluator} judges (no side effects), {@code MonitorState} holds a rootless store's
 * alerts and history for the {@code MemoryManager} that owns it. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.monitor;

import org.jspecify.annotations.NullMarked;
