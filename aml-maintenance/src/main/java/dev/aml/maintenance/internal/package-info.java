/** Implementation of the maintenance operations; not exported. */
@NullMarked
package dev.aml.maintenance.internal;

import org.jspecify.annotations.NullMarked;
