/**
 * AML on PostgreSQL. {@link dev.aml.store.jdbc.JdbcMemoryStore} keeps the memory of every agent in
 * one database schema, so that agents running as many processes on many hosts share it: writes are
 * transactions, {@code recordOutcome}-style updates lock the item's row, and maintenance operations
 * exclude each other across hosts with a PostgreSQL advisory lock. The store creates and migrates its
 * own tables; physical backups are PostgreSQL's job ({@code pg_dump}, PITR), and
 * {@link dev.aml.store.jdbc.JdbcMemoryStore#exportTo} / {@link dev.aml.store.jdbc.JdbcMemoryStore#importFrom}
 * move a memory to and from a Loom file tree. It reads and writes Loom JSON through {@code aml-loom}
 * and does not depend on the file store ({@code aml-store}); {@code MemoryStore.open("jdbc:postgresql:…")}
 * opens it through its {@code MemoryStoreProvider}.
 */
@NullMarked
package dev.aml.store.jdbc;

import org.jspecify.annotations.NullMarked;
