/**
 * AML on PostgreSQL: {@link dev.aml.store.jdbc.JdbcMemoryStore}, a {@code MemoryStore} for agents
 * that run as many processes on many hosts. Only {@code dev.aml.store.jdbc} is exported.
 */
@SuppressWarnings("requires-automatic") // the PostgreSQL driver ships only an Automatic-Module-Name
module dev.aml.store.jdbc {
    requires transitive dev.aml.core;
    requires transitive java.sql;
    requires java.naming; // the driver's PGSimpleDataSource is Referenceable
    requires dev.aml.loom;
    requires com.fasterxml.jackson.databind;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.store.jdbc;
    provides dev.aml.core.MemoryStoreProvider with dev.aml.store.jdbc.internal.JdbcStoreProvider;
}
