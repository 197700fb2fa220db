/**
 * The Loom memory tree on disk: reading and writing item files in every style Loom's tools produce,
 * compression codecs, and the durable file store.
 */
@NullMarked
package dev.aml.store;

import org.jspecify.annotations.NullMarked;
