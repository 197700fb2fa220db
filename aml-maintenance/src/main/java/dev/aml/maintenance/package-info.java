/**
 * The fluent entry point of AML and its maintenance operations.
 *
 * <p>{@link dev.aml.maintenance.MemoryManager} opens a memory (a Loom tree on disk, or any
 * {@link dev.aml.core.MemoryStore}); agents record items and outcomes and query them through
 * {@code manager.agent(name)}; operators prune, optimize, back up, migrate and monitor through the
 * same object. Every operation returns a report record; configuration is immutable records with
 * validated defaults. Monitoring (the monitor, health, alerts, metrics) has its own exported package,
 * {@code dev.aml.maintenance.monitor}; implementations are in {@code dev.aml.maintenance.internal.*},
 * not exported.
 */
@NullMarked
package dev.aml.maintenance;

import org.jspecify.annotations.NullMarked;
