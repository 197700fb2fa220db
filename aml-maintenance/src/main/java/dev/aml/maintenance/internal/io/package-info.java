/**
 * Small file helpers of the maintenance operations: atomic writes (on top of aml-loom's
 * {@code DurableFiles}, the one durable write of all modules), never-overwriting writes, gzip, and
 * {@code OrderedParallel}, which runs per-file work (backups, verify, prune's archives) on a few
 * threads with results in input order. Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.io;

import org.jspecify.annotations.NullMarked;
