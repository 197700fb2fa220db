/**
 * AML Loom format: reading and writing Loom item files ({@link dev.aml.loom.LoomJson}) in every
 * timestamp style Loom's tools produce, a store as Loom files ({@link dev.aml.loom.LoomExport}) and
 * the compression codecs ({@link dev.aml.loom.CompressionCodec}), and the one durable, atomic file
 * write every module uses ({@link dev.aml.loom.DurableFiles}). Format only: no files are opened here
 * except those a caller names, and nothing about stores, journals or maintenance.
 *
 * <p>Only {@code dev.aml.loom} is exported; {@code dev.aml.loom.internal} (the streaming readers,
 * the item codec, the codec implementations) may change in any release.
 */
@SuppressWarnings("requires-automatic") // lz4-java ships only an Automatic-Module-Name (org.lz4.java)
module dev.aml.loom {
    requires transitive dev.aml.core;
    requires com.fasterxml.jackson.databind;
    requires org.lz4.java;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.loom;
}
