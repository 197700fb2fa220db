/**
 * Monitoring of a memory, exported on its own as Caffeine exports {@code stats}: the
 * {@link dev.aml.maintenance.monitor.Monitor} that {@code MemoryManager.monitor()} returns, its
 * settings ({@link dev.aml.maintenance.monitor.MonitorConfig}, {@link dev.aml.maintenance.monitor.Threshold},
 * {@link dev.aml.maintenance.monitor.MetricsSink}) and what it reports: health
 * ({@link dev.aml.maintenance.monitor.HealthReport}, {@link dev.aml.maintenance.monitor.HealthCheck},
 * {@link dev.aml.maintenance.monitor.HealthStatus}), alerts ({@link dev.aml.maintenance.monitor.Alert},
 * {@link dev.aml.maintenance.monitor.AlertLevel}) and metrics
 * ({@link dev.aml.maintenance.monitor.MetricsSnapshot}, {@link dev.aml.maintenance.monitor.MemoryMetrics},
 * {@link dev.aml.maintenance.monitor.AgentMetrics}, {@link dev.aml.maintenance.monitor.QueryPerformance},
 * {@link dev.aml.maintenance.monitor.MonitorReport}). The implementation is in
 * {@code dev.aml.maintenance.internal.monitor}, not exported.
 */
@NullMarked
package dev.aml.maintenance.monitor;

import org.jspecify.annotations.NullMarked;
