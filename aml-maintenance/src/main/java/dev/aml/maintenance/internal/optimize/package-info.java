/**
 * Optimization: garbage collection with exact-duplicate detection, compression of item files,
 * Loom's {@code global/index.json} and a bloom filter in a documented binary layout, cache warming.
 * Not exported.
 */
@NullMarked
package dev.aml.maintenance.internal.optimize;

import org.jspecify.annotations.NullMarked;
