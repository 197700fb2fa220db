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
}
