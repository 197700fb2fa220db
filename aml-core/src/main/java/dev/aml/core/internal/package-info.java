/**
 * Implementation details of aml-core shared with the other AML modules (not exported to users):
 * the shared Jackson mapper, the in-memory item tables every store builds on, and the in-memory store.
 */
@NullMarked
package dev.aml.core.internal;

import org.jspecify.annotations.NullMarked;
