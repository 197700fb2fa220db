/**
 * AML maintenance: the {@link dev.aml.maintenance.MemoryManager} entry point and every maintenance
 * operation (prune, optimize, backup, migrate, monitor, advise, schedule).
 */
module dev.aml.maintenance {
    requires transitive dev.aml.core;
    requires transitive dev.aml.loom;
    requires transitive dev.aml.store;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.maintenance;
    exports dev.aml.maintenance.settings;
}
