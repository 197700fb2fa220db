/** Small file helpers of the maintenance operations: atomic writes, gzip. Not exported. */
@NullMarked
package dev.aml.maintenance.internal.io;

import org.jspecify.annotations.NullMarked;
