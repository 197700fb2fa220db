/**
 * Small file helpers of the maintenance operations: atomic writes (on top of aml-loom's
 * {@code DurableFiles}, the one durable write of all modules), never-overwriting writes, gzip. Not
 * exported.
 */
@NullMarked
package dev.aml.maintenance.internal.io;

import org.jspecify.annotations.NullMarked;
