package dev.aml.store.jdbc.internal;

/**
 * The SQL text of every statement the store runs on its tables, with the quoted schema filled in once
 * per store. Keeping the text in one place shows the lock order all writers share: a write first
 * touches the agent's row ({@link #bumpOrCreateAgent}, {@link #bumpAgent}, {@link #lockAgent}, or the
 * {@code update_item} function, which does it itself) and only then item rows.
 *
 * <p>Reads that listeners rely on ({@link #listItemsWithVersion}, {@link #findItemWithVersion}) read the
 * agent's version counter in the same statement as the rows, so both come from one snapshot. An id may
 * occur more than once in a list (Loom files allow it); "the item" with an id is always the one at the
 * lowest {@code position}, which is what {@link #findItem} and {@link #replaceFirst} address.
 */
public final class JdbcStatements {

    /** Every agent name. */
    public final String listAgents;
    /** The first row of an id: id, position, doc. Parameters: agent, kind, id. */
    public final String findItem;
    /** {@link #findItem} holding the row's lock until commit. */
    public final String findItemForUpdate;
    /** An agent's version. Parameter: agent. */
    public final String version;
    /** Creates the agent at version 1 or bumps its version, returning it. Parameter: agent. */
    public final String bumpOrCreateAgent;
    /** Bumps an existing agent's version, returning it (no row if there is no agent). Parameter: agent. */
    public final String bumpAgent;
    /** Locks an agent's row, returning its version. Parameter: agent. */
    public final String lockAgent;
    /** The agent's version and every row of a kind in order (one null row if none). Parameters: kind, agent. */
    public final String listItemsWithVersion;
    /** The agent's version and the first row of an id (nulls if none). Parameters: kind, id, agent. */
    public final String findItemWithVersion;
    /** Replaces the first row of an id: {@link ItemRows#ASSIGNMENTS}, then agent, kind, agent, kind, id. */
    public final String replaceFirst;
    /** Replaces the row at a position: {@link ItemRows#ASSIGNMENTS}, then agent, kind, position. */
    public final String replaceAt;
    /** Appends a row after the last: agent, kind, agent, kind, then {@link ItemRows#COLUMNS}. */
    public final String append;
    /** Inserts a row at a position: agent, kind, position, then {@link ItemRows#COLUMNS}. */
    public final String insertAt;
    /** Deletes every row of an id. Parameters: agent, kind, id. */
    public final String deleteId;
    /** Deletes every row of a kind. Parameters: agent, kind. */
    public final String deleteKind;
    /**
     * Calls the schema's {@code update_item}: agent, kind, position, expected doc, {@link ItemRows#COLUMNS},
     * channel, payload.
     */
    public final String updateItem;

    /**
     * @param quotedSchema the schema as a quoted identifier ({@link SqlNames#quote})
     */
    public JdbcStatements(String quotedSchema) {
        String q = quotedSchema;
        String items = q + ".items";
        String agents = q + ".agents";
        listAgents = "SELECT agent FROM " + agents;
        findItem = "SELECT id, position, doc FROM " + items
                + " WHERE agent = ? AND kind = ? AND id = ? ORDER BY position LIMIT 1";
        findItemForUpdate = findItem + " FOR UPDATE";
        version = "SELECT version FROM " + agents + " WHERE agent = ?";
        bumpOrCreateAgent = "INSERT INTO " + agents + " AS a (agent, version) VALUES (?, 1)"
                + " ON CONFLICT (agent) DO UPDATE SET version = a.version + 1 RETURNING version";
        bumpAgent = "UPDATE " + agents + " SET version = version + 1 WHERE agent = ? RETURNING version";
        lockAgent = "SELECT version FROM " + agents + " WHERE agent = ? FOR UPDATE";
        listItemsWithVersion = "SELECT a.version, i.id, i.position, i.doc FROM " + agents + " a LEFT JOIN "
                + items + " i ON i.agent = a.agent AND i.kind = ? WHERE a.agent = ? ORDER BY i.position";
        findItemWithVersion = "SELECT a.version, i.id, i.position, i.doc FROM " + agents + " a LEFT JOIN LATERAL"
                + " (SELECT id, position, doc FROM " + items + " WHERE agent = a.agent AND kind = ? AND id = ?"
                + " ORDER BY position LIMIT 1) i ON true WHERE a.agent = ?";
        replaceFirst = "UPDATE " + items + " SET " + ItemRows.ASSIGNMENTS
                + " WHERE agent = ? AND kind = ? AND position = (SELECT position FROM " + items
                + " WHERE agent = ? AND kind = ? AND id = ? ORDER BY position LIMIT 1)";
        replaceAt = "UPDATE " + items + " SET " + ItemRows.ASSIGNMENTS
                + " WHERE agent = ? AND kind = ? AND position = ?";
        String placeholders = "?, ".repeat(ItemRows.PARAMETERS - 1) + "?";
        append = "INSERT INTO " + items + " (agent, kind, position, " + ItemRows.COLUMNS + ") VALUES (?, ?, "
                + "(SELECT coalesce(max(position) + 1, 0) FROM " + items + " WHERE agent = ? AND kind = ?), "
                + placeholders + ")";
        insertAt = "INSERT INTO " + items + " (agent, kind, position, " + ItemRows.COLUMNS
                + ") VALUES (?, ?, ?, " + placeholders + ")";
        deleteId = "DELETE FROM " + items + " WHERE agent = ? AND kind = ? AND id = ?";
        deleteKind = "DELETE FROM " + items + " WHERE agent = ? AND kind = ?";
        updateItem = "SELECT " + q + ".update_item(?, ?, ?, ?, " + "?, ".repeat(ItemRows.PARAMETERS) + "?, ?)";
    }
}
