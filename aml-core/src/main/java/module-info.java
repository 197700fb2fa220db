/**
 * AML core: the memory model, agent names, learning formulas, queries and the storage SPI.
 *
 * <p>Only {@code dev.aml.core} is exported; {@code dev.aml.core.internal} holds implementation
 * details that may change in any release.
 */
@SuppressWarnings("module") // qualified exports name sibling modules that are compiled later
module dev.aml.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.core;
    exports dev.aml.core.relevance;
    uses dev.aml.core.MemoryStoreProvider;
    provides dev.aml.core.MemoryStoreProvider with dev.aml.core.internal.InMemoryStoreProvider;
    // implementation shared with the other AML modules only; not a public API
    exports dev.aml.core.internal to dev.aml.loom, dev.aml.store, dev.aml.maintenance, dev.aml.cli;
    exports dev.aml.core.internal.relevance to dev.aml.maintenance, dev.aml.cli;
}
