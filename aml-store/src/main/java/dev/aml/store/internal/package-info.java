/** Implementation of the file store (journal, checkpoints, locks, tree files); not exported. */
@NullMarked
package dev.aml.store.internal;

import org.jspecify.annotations.NullMarked;
