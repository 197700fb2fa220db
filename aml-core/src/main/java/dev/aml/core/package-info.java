/**
 * The AML memory model and the contracts every other module builds on.
 *
 * <p>An agent ({@link dev.aml.core.AgentId}) learns three kinds of {@link dev.aml.core.MemoryItem}:
 * {@link dev.aml.core.Pattern patterns} (approaches that worked, with a success rate and a confidence
 * that learn from outcomes), {@link dev.aml.core.Solution solutions} (fixes for errors) and
 * {@link dev.aml.core.Decision decisions} (choices and their outcomes). Items are immutable records;
 * every change produces a new record. Fields the model does not know are carried along verbatim in
 * {@link dev.aml.core.RawJson} so that a read-then-write round trip of a Loom file loses nothing.
 *
 * <p>{@link dev.aml.core.Learning} holds the learning and ranking formulas as pure functions.
 * {@link dev.aml.core.MemoryStore} is the storage SPI: the file store, the in-memory store and the
 * PostgreSQL store implement it, and all maintenance runs through it. A store is opened by location
 * ({@link dev.aml.core.MemoryStore#open(String, dev.aml.core.StoreOptions)}) through the
 * {@link dev.aml.core.MemoryStoreProvider} service that accepts it; a store whose items live in a
 * Loom tree offers its files through {@link dev.aml.core.MemoryStore#files()}
 * ({@link dev.aml.core.StoreFiles}), the one file capability maintenance uses; the SPI has no other
 * file hook. The Loom JSON format itself is module {@code aml-loom}. Operational failures are
 * reported with the unchecked {@link dev.aml.core.AmlException} hierarchy.
 */
@NullMarked
package dev.aml.core;

import org.jspecify.annotations.NullMarked;
