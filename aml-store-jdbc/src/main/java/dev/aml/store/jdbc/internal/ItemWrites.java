package dev.aml.store.jdbc.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MemoryItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Every write of the PostgreSQL store: {@link #apply} (batches of changes), {@link #update} (the
 * read-modify-write of {@code recordOutcome} and friends) and {@link #delete}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One transaction per write, agent rows first.</b> Each write bumps the version counter of
 *       every agent it touches before it touches item rows, in agent-name order. That row lock orders
 *       the writers of one agent across all processes and hosts, and the fixed order rules out
 *       deadlocks between writers; writers of different agents run in parallel.</li>
 *   <li><b>The notification commits with the write.</b> Each transaction sends its
 *       {@code pg_notify} ({@link RemoteChanges#announce}) before commit, so other processes learn of
 *       exactly the writes that committed, in commit order.</li>
 *   <li><b>Local listeners after commit.</b> This store's own listeners get the changes on the
 *       writing thread once the transaction committed, with the agents' committed versions
 *       ({@link RemoteChanges#deliverLocal}), and only if there are listeners at all.</li>
 * </ul>
 *
 * <h2>Updates without lost updates, usually in one round trip</h2>
 * The SPI's update is an arbitrary Java function on the item (Loom's running-mean success rate,
 * multiplicative confidence, refinements, last use — all inside the JSON document), so SQL arithmetic
 * cannot do it. Instead the function runs on the row as this store last saw it ({@link KnownRows}, or
 * one unlocked read), and one auto-committed call of the schema's {@code update_item} function bumps
 * the agent's version, replaces the row only if it still holds exactly the document the function
 * started from, and sends the notification. If another writer changed the row meanwhile (or a lock
 * conflict aborted the call), nothing was written, and the update runs again holding the row: version
 * bump, {@code SELECT … FOR UPDATE}, the function, the write, commit. The function may therefore run
 * more than once, as the SPI allows; its result must keep the item's kind and id.
 *
 * <p>Thread-safe.
 */
public final class ItemWrites {

    /** The SQLSTATE {@code update_item} raises when the row changed since it was read. */
    private static final String STALE_ROW = "AM001";

    private final JdbcAccess access;
    private final JdbcStatements sql;
    private final DocCodec codec;
    private final ItemReads reads;
    private final KnownRows known;
    private final RemoteChanges remote;
    private final BooleanSupplier hasListeners;

    /**
     * @param access the store's database access
     * @param sql the store's statements
     * @param codec encodes {@code doc}
     * @param reads reads rows an update starts from
     * @param known the rows this store last saw, kept current by every write
     * @param remote announces writes to other processes and delivers them to local listeners
     * @param hasListeners whether the store has listeners (local delivery is skipped if not)
     */
    public ItemWrites(JdbcAccess access, JdbcStatements sql, DocCodec codec, ItemReads reads, KnownRows known,
            RemoteChanges remote, BooleanSupplier hasListeners) {
        this.access = access;
        this.sql = sql;
        this.codec = codec;
        this.reads = reads;
        this.known = known;
        this.remote = remote;
        this.hasListeners = hasListeners;
    }

    /**
     * Applies changes in one transaction.
     *
     * @param changes the changes, in order
     */
    public void apply(List<Change> changes) {
        List<Change> copy = List.copyOf(changes);
        access.ensureWritable();
        if (copy.isEmpty()) {
            return;
        }
        SortedSet<String> agents = new TreeSet<>();
        List<String> docs = new ArrayList<>();
        for (Change change : copy) {
            agents.add(change.agent().name());
            if (change instanceof Change.Upsert u) {
                docs.add(codec.encode(u.item()));
            } else if (change instanceof Change.ReplaceAll r) {
                for (MemoryItem item : r.items()) {
                    docs.add(codec.encode(item));
                }
            }
        }
        Map<AgentId, Long> versions = access.inTransaction("apply " + copy.size() + " change(s)", c -> {
            Map<AgentId, Long> committed = new HashMap<>();
            for (String agent : agents) {
                try (PreparedStatement ps = c.prepareStatement(sql.bumpOrCreateAgent)) {
                    ps.setString(1, agent);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        committed.put(AgentId.of(agent), rs.getLong(1));
                    }
                }
            }
            int doc = 0;
            for (Change change : copy) {
                doc = applyOne(c, change, docs, doc);
            }
            remote.announce(c, copy);
            return committed;
        });
        known.forget(copy, docs);
        if (hasListeners.getAsBoolean()) {
            remote.deliverLocal(copy, versions);
        }
    }

    private int applyOne(Connection c, Change change, List<String> docs, int nextDoc) throws SQLException {
        String agent = change.agent().name();
        String kind = change.kind().label();
        int doc = nextDoc;
        if (change instanceof Change.Upsert u) {
            String json = docs.get(doc++);
            int updated;
            try (PreparedStatement ps = c.prepareStatement(sql.replaceFirst)) {
                int i = ItemRows.bind(c, ps, 1, u.item(), json);
                ps.setString(i++, agent);
                ps.setString(i++, kind);
                ps.setString(i++, agent);
                ps.setString(i++, kind);
                ps.setString(i, u.item().id());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(sql.append)) {
                    ps.setString(1, agent);
                    ps.setString(2, kind);
                    ps.setString(3, agent);
                    ps.setString(4, kind);
                    ItemRows.bind(c, ps, 5, u.item(), json);
                    ps.executeUpdate();
                }
            }
        } else if (change instanceof Change.Delete d) {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteId)) {
                ps.setString(1, agent);
                ps.setString(2, kind);
                ps.setString(3, d.id());
                ps.executeUpdate();
            }
        } else if (change instanceof Change.ReplaceAll r) {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteKind)) {
                ps.setString(1, agent);
                ps.setString(2, kind);
                ps.executeUpdate();
            }
            if (!r.items().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(sql.insertAt)) {
                    long position = 0;
                    for (MemoryItem item : r.items()) {
                        ps.setString(1, agent);
                        ps.setString(2, kind);
                        ps.setLong(3, position++);
                        ItemRows.bind(c, ps, 4, item, docs.get(doc++));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        }
        return doc;
    }

    /**
     * Runs {@code fn} on the item and writes its result atomically: one round trip when the row is
     * known and unchanged, else a locked read-modify-write.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @param fn the update; may run more than once
     * @return the item as written
     * @throws ItemNotFoundException if there is no such item
     * @throws IllegalArgumentException if {@code fn} returns null or another kind or id
     */
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        access.ensureWritable();
        String operation = "update " + kind.label() + " '" + id + "' of agent '" + agent + "'";
        KnownRows.Row row = known.get(agent, kind, id);
        if (row == null) {
            row = reads.row(operation, agent, kind, id);
        }
        if (row != null) {
            MemoryItem result = checkedUpdate(fn.apply(row.item()), kind, id);
            String doc = codec.encode(result);
            long version = updateIfUnchanged(operation, agent, kind, row, result, doc);
            if (version > 0) {
                known.written(agent, kind, id, new KnownRows.Row(row.position(), doc, result));
                if (hasListeners.getAsBoolean()) {
                    remote.deliverLocal(List.of(Change.upsert(agent, result)), Map.of(agent, version));
                }
                return result;
            }
        }
        return updateLocked(operation, agent, kind, id, fn);
    }

    private MemoryItem updateLocked(String operation, AgentId agent, ItemKind kind, String id,
            UnaryOperator<MemoryItem> fn) {
        long[] version = new long[1];
        KnownRows.Row written = access.inTransaction(operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.bumpAgent)) {
                ps.setString(1, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(agent, kind, id);
                    }
                    version[0] = rs.getLong(1);
                }
            }
            long position;
            MemoryItem current;
            try (PreparedStatement ps = c.prepareStatement(sql.findItemForUpdate)) {
                ps.setString(1, agent.name());
                ps.setString(2, kind.label());
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(agent, kind, id);
                    }
                    position = rs.getLong(2);
                    current = reads.decode(agent, kind, rs.getString(1), position, rs.getString(3));
                }
            }
            MemoryItem result = checkedUpdate(fn.apply(current), kind, id);
            String doc = codec.encode(result);
            try (PreparedStatement ps = c.prepareStatement(sql.replaceAt)) {
                int i = ItemRows.bind(c, ps, 1, result, doc);
                ps.setString(i++, agent.name());
                ps.setString(i++, kind.label());
                ps.setLong(i, position);
                ps.executeUpdate();
            }
            remote.announce(c, List.of(Change.upsert(agent, result)));
            return new KnownRows.Row(position, doc, result);
        });
        known.written(agent, kind, id, written);
        if (hasListeners.getAsBoolean()) {
            remote.deliverLocal(List.of(Change.upsert(agent, written.item())), Map.of(agent, version[0]));
        }
        return written.item();
    }

    private static MemoryItem checkedUpdate(@Nullable MemoryItem result, ItemKind kind, String id) {
        if (result == null || result.kind() != kind || !result.id().equals(id)) {
            throw new IllegalArgumentException("An update of " + kind.label() + " '" + id
                    + "' must return an item of the same kind and id, got "
                    + (result == null ? "null" : result.kind().label() + " '" + result.id() + "'"));
        }
        return result;
    }

    /**
     * One call of {@code update_item}, auto-committed: the whole write in one round trip.
     *
     * @return the agent's new version, or -1 if the row no longer holds {@code row}'s document (or a
     *         lock conflict aborted the call) and nothing was written
     */
    private long updateIfUnchanged(String operation, AgentId agent, ItemKind kind, KnownRows.Row row,
            MemoryItem result, String doc) {
        return access.unshared(operation, c -> {
            boolean autoCommit = c.getAutoCommit();
            try (PreparedStatement ps = c.prepareStatement(sql.updateItem)) {
                ps.setString(1, agent.name());
                ps.setString(2, kind.label());
                ps.setLong(3, row.position());
                ps.setString(4, row.doc());
                int i = ItemRows.bind(c, ps, 5, result, doc);
                ps.setString(i++, remote.channel());
                ps.setString(i, remote.notification(List.of(Change.upsert(agent, result))));
                long version;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getLong(1);
                }
                if (!autoCommit) {
                    c.commit();
                }
                return version;
            } catch (SQLException e) {
                if (!autoCommit) {
                    SchemaMigrations.rolledBack(c, e);
                }
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.equals(STALE_ROW) || state.startsWith("40")) {
                    return -1L;
                }
                throw e;
            }
        });
    }

    /**
     * Locks the agent's row first (the order every write takes), deletes the item's rows and bumps the
     * agent's version only if rows went: of concurrent deleters, in this process or another, the first
     * to commit removes the rows and the others, waiting on the lock, then find none.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return whether rows were deleted
     */
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        Change delete = Change.delete(agent, kind, id);
        access.ensureWritable();
        long[] version = new long[1];
        boolean removed = access.inTransaction("delete " + kind.label() + " '" + id + "' of agent '" + agent + "'",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql.lockAgent)) {
                        ps.setString(1, agent.name());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return false;
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(sql.deleteId)) {
                        ps.setString(1, agent.name());
                        ps.setString(2, kind.label());
                        ps.setString(3, id);
                        if (ps.executeUpdate() == 0) {
                            return false;
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(sql.bumpAgent)) {
                        ps.setString(1, agent.name());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            version[0] = rs.getLong(1);
                        }
                    }
                    remote.announce(c, List.of(delete));
                    return true;
                });
        known.forget(List.of(delete), List.of());
        if (removed && hasListeners.getAsBoolean()) {
            remote.deliverLocal(List.of(delete), Map.of(agent, version[0]));
        }
        return removed;
    }

    private static ItemNotFoundException notFound(AgentId agent, ItemKind kind, String id) {
        return new ItemNotFoundException("No " + kind.label() + " with id '" + id + "' for agent '" + agent + "'");
    }
}
