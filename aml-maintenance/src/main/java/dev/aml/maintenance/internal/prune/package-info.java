/**
 * Pruning: the snapshot, the planner (a pure function of snapshot, configuration and instant), the
 * built-in strategies, archiving and execution. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.prune;

import org.jspecify.annotations.NullMarked;
