package dev.aml.store.jdbc;

import dev.aml.core.AmlException;
import java.io.Serial;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The database failed or refused an operation of the PostgreSQL store: the server is unreachable, a
 * connection broke, permissions are missing. The message names the operation, the store and the
 * database's SQLState; nothing was changed unless the message says otherwise (every write is one
 * transaction, rolled back on failure).
 */
public class JdbcStoreException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @Nullable String sqlState;

    /**
     * @param message what happened and what to do next
     * @param cause the driver's exception
     */
    public JdbcStoreException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
    }

    /** @return the SQLState the database reported (e.g. {@code 08001} for "cannot connect"), if any */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /**
     * @return whether the database could not be reached or refused the session: SQLState class
     *     {@code 08} (connection exception: server down, wrong host or port, network), {@code 28}
     *     (authentication failed), {@code 57P01..57P03} (server shutting down or starting up) or
     *     {@code 53300} (too many connections). Such a failure says nothing about the data.
     */
    public boolean isConnectionFailure() {
        String s = sqlState == null ? "" : sqlState;
        return s.startsWith("08") || s.startsWith("28") || s.startsWith("57P") || s.equals("53300");
    }
}
