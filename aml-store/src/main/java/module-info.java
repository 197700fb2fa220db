/**
 * AML store: the Loom memory tree on disk ({@link dev.aml.store.FileMemoryStore}), its write-ahead
 * journal and checkpoints. The Loom format it reads and writes is module {@code dev.aml.loom}.
 */
module dev.aml.store {
    requires transitive dev.aml.core;
    requires transitive dev.aml.loom;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.store;
    provides dev.aml.core.MemoryStoreProvider with dev.aml.store.internal.FileStoreProvider;
}
