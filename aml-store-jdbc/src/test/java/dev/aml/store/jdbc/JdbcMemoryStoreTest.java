package dev.aml.store.jdbc;

import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MemoryStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract, each test on a fresh schema of the real PostgreSQL server. */
@ExtendWith(RequiresPostgres.class)
class JdbcMemoryStoreTest extends MemoryStoreContract {

    private final List<String> schemas = new ArrayList<>();

    private String schema = "";

    @Override
    protected MemoryStore newStore() {
        PostgresServer.require();
        schema = PostgresServer.freshSchema();
        schemas.add(schema);
        return JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
    }

    @Override
    protected MemoryStore reopen(MemoryStore open) {
        open.close();
        return JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @AfterEach
    void dropSchemas() {
        store.close(); // before the drop, so that no listener thread reads a dropped schema (close is idempotent)
        schemas.forEach(PostgresServer::drop);
    }
}
