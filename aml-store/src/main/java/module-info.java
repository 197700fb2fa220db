/**
 * AML store: the Loom memory tree on disk ({@link dev.aml.store.FileMemoryStore}), its write-ahead
 * journal and checkpoints, the Loom JSON codec and the compression codecs.
 */
@SuppressWarnings("requires-automatic") // lz4-java ships only an Automatic-Module-Name (org.lz4.java)
module dev.aml.store {
    requires transitive dev.aml.core;
    requires com.fasterxml.jackson.databind;
    requires org.lz4.java;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.store;
}
