/**
 * Implementation of schema migrations: one small class per step, the detector, and the engine that
 * plans, backs up, writes and rolls back. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.migration;

import org.jspecify.annotations.NullMarked;
