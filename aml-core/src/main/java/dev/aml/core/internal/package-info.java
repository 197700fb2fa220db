/**
 * Implementation details of aml-core shared with the other AML modules (not exported to users):
 * the shared Jackson mapper, the in-memory item tables every store builds on, the in-memory store and
 * its provider, the store-provider lookup, the Loom tree layout every {@code StoreFiles} shares
 * ({@code TreeLayout}, which the file store extends with rewrites it adopts) and the
 * builders' set-once rule ({@code SetOnce}).
 */
@NullMarked
package dev.aml.core.internal;

import org.jspecify.annotations.NullMarked;
