/**
 * Implementation of the Loom format, not exported: the item codec, the streaming pattern readers
 * (one reader family, held equal by {@code StreamingDecodeEquivalenceTest}) and the codec
 * implementations.
 */
@NullMarked
package dev.aml.loom.internal;

import org.jspecify.annotations.NullMarked;
