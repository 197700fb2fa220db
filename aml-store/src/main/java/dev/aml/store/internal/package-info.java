/**
 * Implementation of the file store; not exported. {@code TreeLoader} loads the tree and replays the
 * journal, {@code TreeState} holds the tree in memory under the state lock, {@code Checkpointer} writes
 * changed item files and trims the journal on the one thread the store owns, {@code TreeStoreFiles} is
 * the store's {@code StoreFiles} (in-place rewrites it adopts), {@code FileStoreOptions} the resolved
 * builder options; {@code JournalFormat}/{@code JournalWriter} the journal, {@code TreeLock} the writer
 * lock, {@code TreeFiles} private directories and file identity (the durable writes themselves are
 * aml-loom's {@code DurableFiles}), {@code FileOps} the fault-injection seam of those writes.
 */
@NullMarked
package dev.aml.store.internal;

import org.jspecify.annotations.NullMarked;
