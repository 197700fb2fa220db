/** Implementation of the file store (journal, checkpoints, locks, codec internals); not exported. */
@NullMarked
package dev.aml.store.internal;

import org.jspecify.annotations.NullMarked;
