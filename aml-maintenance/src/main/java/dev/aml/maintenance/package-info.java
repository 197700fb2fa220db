/**
 * The fluent entry point of AML and its maintenance operations.
 *
 * <p>{@link dev.aml.maintenance.MemoryManager} opens a memory (a Loom tree on disk, or any
 * {@link dev.aml.core.MemoryStore}); agents record items and outcomes and query them through
 * {@code manager.agent(name)}; operators prune, optimize, back up, migrate and monitor through the
 * same object. Every operation returns a report record; configuration is immutable records with
 * validated defaults.
 */
@NullMarked
package dev.aml.maintenance;

import org.jspecify.annotations.NullMarked;
