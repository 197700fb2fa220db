/**
 * The Loom memory format: {@link dev.aml.loom.LoomJson} reads and writes item files
 * ({@code <agent>/patterns.json}, {@code solutions.json}, {@code decisions.json}) in every style
 * Loom's tools produce ({@link dev.aml.loom.TimestampStyle}), {@link dev.aml.loom.LoomExport} is the
 * one definition of "a store as Loom files", and {@link dev.aml.loom.CompressionCodec} names the
 * compression codecs (none, gzip, lz4) item files and backups use. {@link dev.aml.loom.DurableFiles}
 * is the one durable, atomic file write (temp file, fsync, atomic rename, directory fsync) of every
 * AML module that writes files.
 *
 * <p>Every store and maintenance module reads and writes Loom JSON through this package only.
 */
@NullMarked
package dev.aml.loom;

import org.jspecify.annotations.NullMarked;
