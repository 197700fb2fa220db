package dev.aml.store.jdbc.internal;

import dev.aml.core.MemoryItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * The typed columns of an item row, in one order shared by every INSERT and UPDATE. They are derived
 * from the item for filtering and ranking in SQL; the {@code doc} column is the item itself.
 */
public final class ItemRows {

    /** The derived columns followed by {@code doc}, as a comma-separated list. */
    public static final String COLUMNS = "id, recorded_at, last_used, success_rate, confidence, execution_count,"
            + " value_score, active, tags, doc";

    /** {@link #COLUMNS} as {@code col = ?} assignments, for UPDATE. */
    public static final String ASSIGNMENTS = "id = ?, recorded_at = ?, last_used = ?, success_rate = ?,"
            + " confidence = ?, execution_count = ?, value_score = ?, active = ?, tags = ?, doc = ?";

    /** How many parameters {@link #bind} sets. */
    public static final int PARAMETERS = 10;

    /** PostgreSQL's timestamptz covers 4713 BC to 294276 AD; later or earlier instants keep only the doc. */
    private static final Instant MIN = Instant.parse("-4000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("+200000-01-01T00:00:00Z");

    private ItemRows() {
    }

    /**
     * Binds the columns of {@link #COLUMNS} starting at parameter {@code from}.
     *
     * @param c the connection (for the tags array)
     * @param ps the statement
     * @param from the first parameter index
     * @param item the item
     * @param doc the item's JSON
     * @return the next free parameter index
     * @throws SQLException if binding fails
     */
    public static int bind(Connection c, PreparedStatement ps, int from, MemoryItem item, String doc)
            throws SQLException {
        int i = from;
        ps.setString(i++, item.id());
        setInstant(ps, i++, item.timestamp());
        setInstant(ps, i++, item.lastUsed());
        ps.setDouble(i++, item.successRate());
        ps.setDouble(i++, item.confidence());
        ps.setLong(i++, item.executionCount());
        ps.setDouble(i++, item.value());
        ps.setBoolean(i++, item.active());
        ps.setArray(i++, c.createArrayOf("text", item.tags().toArray()));
        ps.setString(i++, doc);
        return i;
    }

    private static void setInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
        if (instant == null || instant.isBefore(MIN) || instant.isAfter(MAX)) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }
}
