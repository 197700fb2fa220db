/**
 * The Loom memory tree on disk: {@link dev.aml.store.FileMemoryStore}, the durable file store with
 * its write-ahead journal and checkpoints, whose files maintenance reaches through
 * {@code MemoryStore.files()}. The format itself (item files, timestamps, codecs) is in
 * {@code dev.aml.loom} (module {@code aml-loom}).
 */
@NullMarked
package dev.aml.store;

import org.jspecify.annotations.NullMarked;
