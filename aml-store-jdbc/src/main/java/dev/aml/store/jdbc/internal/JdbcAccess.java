package dev.aml.store.jdbc.internal;

import dev.aml.core.InvalidInputException;
import dev.aml.store.jdbc.JdbcStoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the PostgreSQL store reaches its database: one place that borrows connections, runs
 * transactions, retries what the server asks to retry, holds the per-thread snapshot and turns
 * {@link SQLException}s into AML's exceptions.
 *
 * <h2>Four ways to run SQL</h2>
 * <ul>
 *   <li>{@link #read} runs on the calling thread's snapshot connection if {@link #quiesced} is active
 *       there, else on a connection borrowed for that one call (auto-commit: each statement sees the
 *       latest committed state).</li>
 *   <li>{@link #unshared} always borrows its own connection and leaves its auto-commit as the pool gave
 *       it; the one-round-trip update reads and writes through it, since its conditional write must
 *       never join a caller's read-only snapshot.</li>
 *   <li>{@link #inTransaction} runs its work as one READ COMMITTED transaction and commits it; any
 *       failure rolls it back. A deadlock ({@code 40P01}) or serialization failure ({@code 40001})
 *       reported by the server runs the whole work again, up to {@value #MAX_ATTEMPTS} attempts, so the
 *       work must do nothing outside the transaction that cannot be repeated.</li>
 *   <li>{@link #quiesced} opens a REPEATABLE READ, read-only transaction, takes its snapshot at once
 *       and makes it the calling thread's until the action returns; nested calls share it.</li>
 * </ul>
 * Every connection goes back to the {@link DataSource} before the method returns, with its auto-commit,
 * isolation and read-only flags as borrowed, so a pool can hand it to anyone.
 *
 * <h2>Errors</h2>
 * {@link #translate} is the only place that reads SQLSTATEs for users: text PostgreSQL cannot store
 * (NUL characters, values beyond its limits) is the caller's {@link InvalidInputException}; everything
 * else is a {@link JdbcStoreException} naming the operation, the store and a hint by SQLSTATE class
 * (connection, authentication, permissions). Both say that nothing was changed, which holds because
 * every write is one transaction.
 *
 * <p>Thread-safe; {@link #close} only marks the store closed (later calls throw
 * {@link IllegalStateException}); the data source belongs to whoever opened it.
 */
public final class JdbcAccess {

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * @param c the connection
         * @return the result
         * @throws SQLException if the database fails
         */
        T run(Connection c) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAccess.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int MIN_SERVER_MAJOR = 12;

    private final DataSource dataSource;
    private final String schema;
    private final boolean readOnly;
    private final String description;
    private final ThreadLocal<@Nullable Connection> snapshot = new ThreadLocal<>();
    private volatile boolean closed;

    private JdbcAccess(DataSource dataSource, String schema, boolean readOnly, String description) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.readOnly = readOnly;
        this.description = description;
    }

    /**
     * Connects, checks that the server is PostgreSQL {@value #MIN_SERVER_MAJOR}+ and creates or migrates
     * the schema (read-only: only checks its version).
     *
     * @param dataSource where connections come from
     * @param schema the validated, unquoted schema name
     * @param readOnly whether writes are refused
     * @param url the URL the builder was given, for messages before the server has told its own
     * @return the access, described by the server's URL without parameters
     * @throws IllegalArgumentException if the server is not PostgreSQL or too old
     * @throws JdbcStoreException if the database cannot be reached or refuses
     * @throws dev.aml.core.MigrationException if the schema cannot be used by this AML
     */
    public static JdbcAccess open(DataSource dataSource, String schema, boolean readOnly, @Nullable String url) {
        String where = withoutParameters(url);
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            if (!"PostgreSQL".equals(meta.getDatabaseProductName())) {
                throw new IllegalArgumentException("JdbcMemoryStore needs PostgreSQL, but the data source connects"
                        + " to " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
            }
            if (meta.getDatabaseMajorVersion() < MIN_SERVER_MAJOR) {
                throw new IllegalArgumentException("JdbcMemoryStore needs PostgreSQL " + MIN_SERVER_MAJOR
                        + " or newer (tested on 15), the server is " + meta.getDatabaseProductVersion());
            }
            where = withoutParameters(meta.getURL());
            JdbcAccess access = new JdbcAccess(dataSource, schema, readOnly,
                    "PostgreSQL schema '" + schema + "' at " + where);
            SchemaMigrations.migrate(c, schema, readOnly);
            return access;
        } catch (SQLException e) {
            throw translate("open the store", "PostgreSQL schema '" + schema + "' at " + where, e);
        }
    }

    /**
     * @param url a JDBC URL, or {@code null}
     * @return the URL without its parameters (which may hold a password), or {@code "PostgreSQL"}
     */
    public static String withoutParameters(@Nullable String url) {
        if (url == null) {
            return "PostgreSQL";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** @return where connections come from */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the unquoted schema name */
    public String schema() {
        return schema;
    }

    /** @return whether writes are refused */
    public boolean readOnly() {
        return readOnly;
    }

    /** @return the store as messages name it: schema and server URL */
    public String description() {
        return description;
    }

    /** @throws IllegalStateException if the store is closed */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The store " + description + " is closed");
        }
    }

    /** @throws IllegalStateException if the store is closed or read-only */
    public void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new IllegalStateException("The store " + description + " was opened read-only; writes are refused");
        }
    }

    /** Marks the store closed: every later call throws {@link IllegalStateException}. */
    public void close() {
        closed = true;
    }

    /** @return whether {@link #close} was called */
    public boolean closed() {
        return closed;
    }

    /**
     * Runs reads on the calling thread's snapshot, if {@link #quiesced} is active, else on a connection
     * of their own.
     *
     * @param operation what is done, for messages ("list agents")
     * @param work the reads
     * @param <T> the result type
     * @return the work's result
     */
    public <T> T read(String operation, SqlWork<T> work) {
        ensureOpen();
        Connection inSnapshot = snapshot.get();
        try {
            if (inSnapshot != null) {
                return work.run(inSnapshot);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw translate(operation, description, e);
        }
    }

    /**
     * Runs work on a connection of its own, never the thread's snapshot, as the data source gives it.
     *
     * @param operation what is done, for messages
     * @param work the work; it commits itself if the connection is not in auto-commit mode
     * @param <T> the result type
     * @return the work's result
     */
    public <T> T unshared(String operation, SqlWork<T> work) {
        ensureOpen();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(operation, description, e);
        }
    }

    /**
     * Runs work as one transaction, retried on deadlocks and serialization failures.
     *
     * @param operation what is done, for messages
     * @param work the transaction's statements; may run more than once
     * @param <T> the result type
     * @return the result of the attempt that committed
     */
    public <T> T inTransaction(String operation, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    SchemaMigrations.rolledBack(c, e);
                    throw e;
                } finally {
                    restoreAutoCommit(c, autoCommit);
                }
            } catch (SQLException e) {
                String state = e.getSQLState();
                boolean retryable = "40P01".equals(state) || "40001".equals(state);
                if (retryable && attempt < MAX_ATTEMPTS) {
                    LOG.debug("{} on {}: {} (attempt {}), retrying", operation, description, state, attempt);
                    continue;
                }
                throw translate(operation, description, e);
            }
        }
    }

    /**
     * Runs {@code action} with every {@link #read} on the calling thread in one REPEATABLE READ,
     * read-only snapshot taken now; nested calls share the outer snapshot.
     *
     * @param action the action
     * @param <T> the result type
     * @return the action's result
     */
    public <T> T quiesced(Supplier<T> action) {
        ensureOpen();
        if (snapshot.get() != null) {
            return action.get();
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT 1"); // the snapshot is taken at the first statement: take it now
            }
            snapshot.set(c);
            try {
                return action.get();
            } finally {
                snapshot.remove();
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                restoreAutoCommit(c, autoCommit);
            }
        } catch (SQLException e) {
            throw translate("take a snapshot", description, e);
        }
    }

    /**
     * @param operation what failed, for the message
     * @param e the failure
     * @return the exception to throw, naming this store
     */
    public RuntimeException translate(String operation, SQLException e) {
        return translate(operation, description, e);
    }

    private static RuntimeException translate(String operation, String where, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("22021") || state.equals("22P05") || state.equals("54000")) {
            return new InvalidInputException("PostgreSQL refused to " + operation + " on " + where + ": "
                    + e.getMessage() + " (SQLState " + state + "). Text with NUL characters or values beyond"
                    + " PostgreSQL's limits cannot be stored; nothing was changed.", e);
        }
        String hint = state.startsWith("08")
                ? "Check that the server is running and that the URL and credentials are right."
                : state.startsWith("28") ? "Check the user name and password (AML_JDBC_USER, AML_JDBC_PASSWORD)."
                : state.startsWith("42") ? "Check that the user may create and use schema objects."
                : "See the PostgreSQL server log.";
        return new JdbcStoreException("Could not " + operation + " on " + where + ": " + e.getMessage()
                + " (SQLState " + (state.isEmpty() ? "unknown" : state) + "). " + hint
                + " Nothing was changed (every write is one transaction, rolled back on failure; only a"
                + " connection that broke during commit leaves the outcome unknown).", e);
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOG.debug("Could not restore auto-commit on a connection that is being returned: {}", e.toString());
        }
    }
}
