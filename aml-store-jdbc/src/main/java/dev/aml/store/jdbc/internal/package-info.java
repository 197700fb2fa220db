/**
 * Implementation of the PostgreSQL store, one concept per class: {@code JdbcAccess} (connections,
 * transactions and their retries, the {@code quiesced} snapshot, SQL errors turned into AML's),
 * {@code JdbcStatements} (every statement's SQL text), {@code ItemReads} and {@code ItemWrites} (the
 * store's reads, and its writes with the lock order and the one-round-trip update), {@code KnownRows}
 * (the rows an instance last saw, which that update starts from), {@code ItemRows} and {@code DocCodec}
 * (items to rows), {@code RemoteChanges} (other processes' writes through {@code LISTEN/NOTIFY}),
 * {@code AdvisoryMaintenanceLock}, {@code SchemaMigrations}, {@code LoomTransfer} (export and import of
 * Loom trees) and the store's provider. Not exported; may change in any release.
 */
@NullMarked
package dev.aml.store.jdbc.internal;

import org.jspecify.annotations.NullMarked;
