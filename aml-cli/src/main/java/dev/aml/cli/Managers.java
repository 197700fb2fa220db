package dev.aml.cli;

import dev.aml.core.MemoryStore;
import dev.aml.core.StoreOptions;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MemoryManager;
import dev.aml.store.jdbc.JdbcStoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The one place the CLI opens a memory tree, so every command opens it the same way. Stores are
 * opened by location ({@link MemoryStore#open(String, StoreOptions)}): the CLI names no store class,
 * and a store whose provider is on the class path opens like the built-in ones.
 */
final class Managers {

    private Managers() {
    }

    /**
     * @param root an existing memory root
     * @return a manager on the file store of that tree, opened read-write (holds the tree's writer lock)
     * @throws dev.aml.core.ConcurrentOperationException if another process writes the tree (exit 73)
     */
    static MemoryManager open(Path root) {
        return open(root, BackupConfig.defaults());
    }

    /**
     * @param root an existing memory root
     * @param backups where and how the manager's backups (and pre-prune backups) are kept
     * @return a manager on the file store of that tree, opened read-write
     * @throws dev.aml.core.ConcurrentOperationException if another process writes the tree (exit 73)
     */
    static MemoryManager open(Path root, BackupConfig backups) {
        return MemoryManager.builder().memoryRoot(root).backupConfig(backups).build();
    }

    /**
     * Opens the tree read-only, so that not even a lock or journal file is written: for dry runs, and
     * for monitoring, which then works while an application holds the tree open.
     *
     * @param root an existing memory root
     * @return a manager on a read-only file store of that tree
     */
    static MemoryManager openReadOnly(Path root) {
        return openReadOnly(root, BackupConfig.defaults());
    }

    /**
     * @param root an existing memory root
     * @param backups where the tree's backups live (monitoring judges them)
     * @return a manager on a read-only file store of that tree
     */
    static MemoryManager openReadOnly(Path root, BackupConfig backups) {
        MemoryStore store = MemoryStore.open(root, StoreOptions.builder().readOnly(true).build());
        try {
            return MemoryManager.builder().store(store).backupConfig(backups).build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
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
     * @param backups where and how the manager's backups are kept ({@code --backup-root}; the store
     *     has no memory root, so backups need {@link BackupConfig#backupRoot()})
     * @return a manager on that store
     * @throws dev.aml.core.InvalidInputException (exit 64) if the URL is not a PostgreSQL one (no store
     *     provider accepts it)
     * @throws dev.aml.store.jdbc.JdbcStoreException (exit 69) if the server cannot be reached or refuses
     *     the login, with what to check
     */
    static MemoryManager openJdbc(String jdbcUrl, Map<String, String> env, BackupConfig backups) {
        StoreOptions.Builder options = StoreOptions.builder();
        String user = env.get(JDBC_USER_ENV);
        if (user != null) {
            options.setting("user", user);
        }
        String password = env.get(JDBC_PASSWORD_ENV);
        if (password != null) {
            options.setting("password", password);
        }
        MemoryStore store;
        try {
            store = MemoryStore.open(jdbcUrl, options.build());
        } catch (JdbcStoreException e) {
            if (!e.isConnectionFailure()) {
                throw e;
            }
            throw new JdbcStoreException(e.getMessage() + " " + connectionHint(env), (SQLException) e.getCause());
        }
        try {
            return MemoryManager.builder().store(store).backupConfig(backups).build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * @param env the environment
     * @return what to check when the database cannot be reached: host and port, and the credential
     *     variables (whether they are set; the password itself is never shown)
     */
    static String connectionHint(Map<String, String> env) {
        return "Check that PostgreSQL runs at the host and port of the URL and accepts connections from here, and"
                + " the credentials: " + JDBC_USER_ENV + " is " + (env.get(JDBC_USER_ENV) == null ? "not set"
                : "'" + env.get(JDBC_USER_ENV) + "'") + ", " + JDBC_PASSWORD_ENV + " is "
                + (env.get(JDBC_PASSWORD_ENV) == null ? "not set" : "set") + " (or give user and password as URL"
                + " parameters).";
    }
}
