package dev.aml.cli;

import dev.aml.maintenance.MemoryManager;
import dev.aml.store.FileMemoryStore;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.nio.file.Path;
import java.util.Map;

/** The one place the CLI opens a memory tree, so every command opens it the same way. */
final class Managers {

    private Managers() {
    }

    /**
     * @param root an existing memory root
     * @return a manager on the file store of that tree, opened read-write (holds the tree's writer lock)
     * @throws dev.aml.core.ConcurrentOperationException if another process writes the tree (exit 73)
     */
    static MemoryManager open(Path root) {
        return MemoryManager.open(root);
    }

    /**
     * Opens the tree read-only, so that not even a lock or journal file is written: for dry runs, and
     * for monitoring, which then works while an application holds the tree open.
     *
     * @param root an existing memory root
     * @return a manager on a read-only file store of that tree
     */
    static MemoryManager openReadOnly(Path root) {
        return MemoryManager.builder().store(FileMemoryStore.builder(root).readOnly(true).open()).build();
    }

    /** Environment variable with the PostgreSQL user for {@code aml jdbc:postgresql://… <command>}. */
    static final String JDBC_USER_ENV = "AML_JDBC_USER";
    /** Environment variable with the PostgreSQL password; it is never printed. */
    static final String JDBC_PASSWORD_ENV = "AML_JDBC_PASSWORD";

    /**
     * @param memoryArgument the memory argument exactly as typed
     * @return whether it is a JDBC URL rather than a path
     */
    static boolean isJdbcUrl(String memoryArgument) {
        return memoryArgument.startsWith("jdbc:");
    }

    /**
     * Opens the PostgreSQL store named by a JDBC URL, with the credentials from {@link #JDBC_USER_ENV}
     * and {@link #JDBC_PASSWORD_ENV} (or the URL's own parameters).
     *
     * @param jdbcUrl a {@code jdbc:postgresql://host:port/database} URL
     * @param env the environment
     * @return a manager on that store
     * @throws IllegalArgumentException (exit 64) if the URL is not a PostgreSQL one
     * @throws dev.aml.store.jdbc.JdbcStoreException (exit 70) if the server cannot be reached
     */
    static MemoryManager openJdbc(String jdbcUrl, Map<String, String> env) {
        JdbcMemoryStore store = JdbcMemoryStore.builder()
                .url(jdbcUrl, env.get(JDBC_USER_ENV), env.get(JDBC_PASSWORD_ENV))
                .build();
        return MemoryManager.builder().store(store).build();
    }
}
