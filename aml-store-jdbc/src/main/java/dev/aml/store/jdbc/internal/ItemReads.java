package dev.aml.store.jdbc.internal;

import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Every read of the PostgreSQL store: agents, lists, single items and versions, each one statement
 * (one round trip), on the caller's snapshot when {@link JdbcAccess#quiesced} is active.
 *
 * <p>Items come from the {@code doc} column only, decoded by the {@link DocCodec}; the typed columns are
 * never read back, so an item read here equals the item that was written, byte for byte in its JSON.
 * Lists and finds also return the agent's version, read in the same statement, which is what
 * {@link RemoteChanges} needs to order its deliveries; that makes this class the listener thread's
 * {@link RemoteChanges.Reader} too.
 *
 * <h2>Unreadable rows</h2>
 * A {@code doc} that does not decode (only rows changed by hand with SQL can be like that: the database
 * checks every {@code doc} is JSON) fails the read with a {@link CorruptDataException} naming the row
 * and leaves the row untouched; the agent is recorded in {@link #unreadableAgents} for the monitor.
 *
 * <p>Reads feed {@link KnownRows} with the first row of each id they meet, so a later update of an item
 * just listed or found needs no read of its own. Thread-safe.
 */
public final class ItemReads implements RemoteChanges.Reader {

    private final JdbcAccess access;
    private final JdbcStatements sql;
    private final DocCodec codec;
    private final KnownRows known;
    private final Map<AgentId, CorruptDataException> unreadable = new ConcurrentHashMap<>();

    /**
     * @param access the store's database access
     * @param sql the store's statements
     * @param codec decodes {@code doc}
     * @param known where rows met by reads are remembered
     */
    public ItemReads(JdbcAccess access, JdbcStatements sql, DocCodec codec, KnownRows known) {
        this.access = access;
        this.sql = sql;
        this.codec = codec;
        this.known = known;
    }

    @Override
    public Set<AgentId> agents() {
        return access.read("list agents", c -> {
            SortedSet<AgentId> out = new TreeSet<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.listAgents)) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!AgentId.isValid(name)) {
                        throw new CorruptDataException("Table " + access.schema() + ".agents holds an invalid agent"
                                + " name '" + name + "' (not written by AML); rename or delete that row with SQL.");
                    }
                    out.add(AgentId.of(name));
                }
            }
            return Collections.unmodifiableSortedSet(out);
        });
    }

    @Override
    public RemoteChanges.Versioned<List<MemoryItem>> items(AgentId agent, ItemKind kind) {
        return access.read("read " + kind.label() + "s of agent '" + agent + "'", c -> {
            long version = 0;
            List<MemoryItem> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listItemsWithVersion)) {
                ps.setString(1, kind.label());
                ps.setString(2, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        version = rs.getLong(1);
                        String doc = rs.getString(4);
                        if (doc != null) {
                            String id = rs.getString(2);
                            long position = rs.getLong(3);
                            MemoryItem item = decode(agent, kind, id, position, doc);
                            out.add(item);
                            if (seen.add(id)) {
                                known.read(agent, kind, id, new KnownRows.Row(position, doc, item));
                            }
                        }
                    }
                }
            }
            return new RemoteChanges.Versioned<>(version, List.copyOf(out));
        });
    }

    @Override
    public RemoteChanges.Versioned<Optional<MemoryItem>> find(AgentId agent, ItemKind kind, String id) {
        return access.read("find " + kind.label() + " '" + id + "' of agent '" + agent + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.findItemWithVersion)) {
                ps.setString(1, kind.label());
                ps.setString(2, id);
                ps.setString(3, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new RemoteChanges.Versioned<>(0L, Optional.<MemoryItem>empty());
                    }
                    long version = rs.getLong(1);
                    String doc = rs.getString(4);
                    return new RemoteChanges.Versioned<>(version, doc == null ? Optional.<MemoryItem>empty()
                            : Optional.of(decode(agent, kind, rs.getString(2), rs.getLong(3), doc)));
                }
            }
        });
    }

    /**
     * @param agent the agent
     * @return its version counter, 0 if it has no row
     */
    public long version(AgentId agent) {
        return access.read("read the version of agent '" + agent + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.version)) {
                ps.setString(1, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * Reads the row an update starts from, without a lock and outside any snapshot.
     *
     * @param operation the update, for messages
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return the first row of that id, or {@code null} if there is none
     */
    public KnownRows.@Nullable Row row(String operation, AgentId agent, ItemKind kind, String id) {
        return access.unshared(operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.findItem)) {
                ps.setString(1, agent.name());
                ps.setString(2, kind.label());
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long position = rs.getLong(2);
                    String doc = rs.getString(3);
                    return new KnownRows.Row(position, doc, decode(agent, kind, rs.getString(1), position, doc));
                }
            }
        });
    }

    /** @return the agents whose rows failed to decode in reads since the store was opened */
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return Map.copyOf(unreadable);
    }

    /**
     * @param agent the row's agent
     * @param kind the row's kind
     * @param id the row's id
     * @param position the row's position
     * @param doc the row's {@code doc}
     * @return the item
     * @throws CorruptDataException naming the row, if {@code doc} is not a valid item of that kind
     */
    public MemoryItem decode(AgentId agent, ItemKind kind, String id, long position, String doc) {
        try {
            return codec.decode(kind, doc);
        } catch (RuntimeException e) {
            CorruptDataException corrupt = new CorruptDataException("The " + kind.label() + " '" + id + "' of agent '"
                    + agent + "' (table " + access.schema() + ".items, position " + position + ") is not a valid"
                    + " Loom " + kind.label() + ": " + e.getMessage() + ". The row was left untouched; fix or delete"
                    + " it with SQL, or restore it from a backup.", null, position,
                    CorruptDataException.PositionKind.ELEMENT_INDEX, e);
            unreadable.put(agent, corrupt);
            throw corrupt;
        }
    }
}
