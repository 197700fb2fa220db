package dev.aml.store.jdbc.internal;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.MaintenanceLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance lock of a PostgreSQL store: a session-level advisory lock
 * ({@code pg_try_advisory_lock(MAINTENANCE_CLASS, schemaKey)}) held on a connection dedicated to it for
 * as long as the lock is held.
 *
 * <p>Why this shape: the lock must exclude maintenance on every host that uses the database, so it has
 * to live in the database; it must vanish if its holder dies (a crashed host must not block pruning
 * forever), which a session-level advisory lock does when the session ends, while a row in a table
 * would need leases and clocks; and it must not wait: a second operation is refused at once and told
 * who holds the lock. To tell, the holder sets its session's {@code application_name} to
 * {@code "aml maintenance: <operation>"} <em>before</em> it tries the lock, and a refused caller reads
 * the holder's name from {@code pg_locks} joined with {@code pg_stat_activity}; there is no moment
 * when the lock is held under another name.
 *
 * <p>Release unlocks explicitly and resets the session name before the connection goes back to a
 * pool (closing a pooled connection does not end its session). If the unlock fails the connection is
 * aborted, which ends the session and so releases the lock in any case.
 */
public final class AdvisoryMaintenanceLock implements MaintenanceLock {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryMaintenanceLock.class);
    static final String APPLICATION_PREFIX = "aml maintenance: ";

    private final Connection connection;
    private final int key;
    private final String operation;
    private final Consumer<AdvisoryMaintenanceLock> onRelease;
    private boolean released;

    private AdvisoryMaintenanceLock(Connection connection, int key, String operation,
            Consumer<AdvisoryMaintenanceLock> onRelease) {
        this.connection = connection;
        this.key = key;
        this.operation = operation;
        this.onRelease = onRelease;
    }

    /**
     * Takes the lock or refuses at once.
     *
     * @param dataSource where to get the dedicated connection
     * @param schema the store's schema (the lock's key)
     * @param operation the operation's name
     * @param store the store's description, for messages
     * @param onRelease called once when the lock is released
     * @return the held lock
     * @throws ConcurrentOperationException if another session holds it, naming its operation
     * @throws SQLException if the database fails
     */
    public static AdvisoryMaintenanceLock acquire(DataSource dataSource, String schema, String operation,
            String store, Consumer<AdvisoryMaintenanceLock> onRelease) throws SQLException {
        int key = AdvisoryKeys.schemaKey(schema);
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            setApplicationName(c, APPLICATION_PREFIX + operation);
            if (advisory(c, "pg_try_advisory_lock", key)) {
                return new AdvisoryMaintenanceLock(c, key, operation, onRelease);
            }
            String holder = holder(c, key);
            setApplicationName(c, "");
            c.close();
            throw new ConcurrentOperationException("Cannot start '" + operation + "' on " + store + ": " + holder
                    + " is running on this memory. Two maintenance operations never run at once, on any host;"
                    + " wait for it to finish, then retry.");
        } catch (SQLException | RuntimeException e) {
            if (!c.isClosed()) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static String holder(Connection c, int key) throws SQLException {
        String sql = "SELECT a.application_name, a.pid, host(a.client_addr), a.backend_start"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, Integer.toUnsignedLong(AdvisoryKeys.MAINTENANCE_CLASS));
            ps.setLong(2, Integer.toUnsignedLong(key));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "another maintenance operation (it has just finished or is not visible to this user)";
                }
                String app = rs.getString(1);
                String name = app != null && app.startsWith(APPLICATION_PREFIX)
                        ? "'" + app.substring(APPLICATION_PREFIX.length()) + "'"
                        : "another AML maintenance operation";
                String host = rs.getString(3);
                return name + " (PostgreSQL backend pid " + rs.getInt(2)
                        + (host == null ? "" : " from " + host)
                        + (rs.getObject(4) == null ? "" : ", connected since " + rs.getObject(4)) + ")";
            }
        }
    }

    /** Calls {@code function(MAINTENANCE_CLASS, key)}, one of PostgreSQL's boolean advisory-lock functions. */
    private static boolean advisory(Connection c, String function, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            ps.setInt(1, AdvisoryKeys.MAINTENANCE_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void setApplicationName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            boolean unlocked = advisory(connection, "pg_advisory_unlock", key);
            setApplicationName(connection, "");
            if (unlocked) {
                connection.close();
            } else {
                LOG.warn("The maintenance lock of '{}' was no longer held by its session (the connection was"
                        + " reset?); ending the session", operation);
                abort();
            }
        } catch (SQLException e) {
            LOG.warn("Releasing the maintenance lock of '{}' failed ({}); ending its session, which releases it",
                    operation, e.getMessage());
            abort();
        } finally {
            onRelease.accept(this);
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not abort the connection of the maintenance lock of '{}': {}", operation, e.getMessage());
        }
    }
}
