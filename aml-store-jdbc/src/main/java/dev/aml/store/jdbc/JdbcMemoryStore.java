package dev.aml.store.jdbc;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.LoomJson;
import dev.aml.store.jdbc.internal.AdvisoryMaintenanceLock;
import dev.aml.store.jdbc.internal.ItemCodec;
import dev.aml.store.jdbc.internal.ItemRows;
import dev.aml.store.jdbc.internal.LoomItemCodec;
import dev.aml.store.jdbc.internal.LoomTransfer;
import dev.aml.store.jdbc.internal.Migrations;
import dev.aml.store.jdbc.internal.RemoteChanges;
import dev.aml.store.jdbc.internal.SqlNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MemoryStore} in a PostgreSQL schema, shared by agents running as many processes on many
 * hosts.
 *
 * <pre>{@code
 * MemoryStore store = JdbcMemoryStore.of(dataSource);               // schema "aml", created if missing
 * MemoryManager aml = MemoryManager.builder().store(store).build();
 * }</pre>
 *
 * <h2>Tables</h2>
 * The store creates and migrates its own tables in its schema ({@code schema_version}, {@code agents},
 * {@code items}; see the migration scripts). An item is one row: typed columns for what queries filter
 * and rank on (agent, kind, id, {@code position} for the Loom file order, success rate, confidence,
 * executions, value, timestamps, active, {@code tags text[]}) and the item's exact Loom JSON in
 * {@code doc}, mirrored as {@code jsonb} in {@code body}. Reads decode {@code doc}, never the typed
 * columns, so key order and unknown fields survive byte for byte ({@code jsonb} alone would reorder
 * keys and drop duplicates).
 *
 * <h2>Concurrency: no lost updates across processes</h2>
 * Every write is one READ COMMITTED transaction that first bumps the version counter of each agent it
 * touches ({@code agents.version = version + 1}), in agent-name order. That row lock orders the
 * writers of one agent across all processes and hosts, and the fixed order makes deadlocks impossible;
 * writers of different agents run in parallel. {@link #update} then reads the item with
 * {@code SELECT … FOR UPDATE}, runs the caller's function in Java and writes the result in the same
 * transaction. Atomic SQL arithmetic ({@code UPDATE … SET execution_count = execution_count + 1}) was
 * the alternative, and it is the cheaper one, but the SPI's update is an arbitrary function (Loom's
 * running-mean success rate, multiplicative confidence, refinements, last use — all inside the JSON
 * document), so the only way to lose nothing without duplicating those formulas in SQL is to hold the
 * row while Java computes. Holding it costs one extra round trip per update; the multi-process test
 * proves the counts exact. A deadlock or serialization failure reported by the server is retried (the
 * function may then run again, as the SPI allows).
 *
 * <h2>Versions and listeners</h2>
 * {@link #version} reads the counter, so it moves with writes made by other processes too. Change
 * listeners see this store's writes synchronously after commit, and other processes' writes
 * asynchronously through PostgreSQL's {@code LISTEN/NOTIFY} (every write transaction names what it
 * changed; a background thread turns that into changes read from the current rows), so in-memory
 * indexes built from listeners — the query engine's — follow writes made on every host.
 *
 * <h2>Queries</h2>
 * Queries run on the runtime's in-memory index, kept in sync by those notifications, rather than in
 * SQL: ranking by weight depends on "now" (recency decay), so it cannot be an indexed column, and a
 * warm index answers without a round trip, while every SQL statement costs one (see
 * {@code versionCheck} and {@code query} in benchmarks/RESULTS.md). The typed columns and indexes
 * ({@code tags} GIN, success rate) are there for operators' SQL and for a future pushdown of filters
 * on cold or very large agents (measured as {@code queryPushdown} in {@code JdbcStoreBenchmark}).
 *
 * <h2>Maintenance and snapshots</h2>
 * {@link #lockMaintenance} takes a session-level advisory lock on a dedicated connection, so two
 * hosts never prune, back up, import or migrate the same schema at once; the refusal names the
 * holder's operation. {@link #quiesced} runs its action in a REPEATABLE READ, read-only transaction:
 * every read the action makes on the calling thread sees one snapshot, while writers elsewhere are not
 * blocked (PostgreSQL's MVCC makes blocking a whole fleet unnecessary). Physical backups are
 * PostgreSQL's job ({@code pg_dump}, base backups and PITR); {@link #exportTo} and {@link #importFrom}
 * move the memory to and from a Loom file tree.
 *
 * <p>Instances are thread-safe. Each operation borrows a connection from the {@link DataSource} and
 * returns it, so pass a pooled one (HikariCP or the application server's) for anything long-running.
 */
public final class JdbcMemoryStore implements MemoryStore {

    /** The schema used when the builder sets none. */
    public static final String DEFAULT_SCHEMA = "aml";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMemoryStore.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int MIN_SERVER_MAJOR = 12;

    private final DataSource dataSource;
    private final String schema;
    private final boolean readOnly;
    private final @Nullable AutoCloseable ownedDataSource;
    private final ItemCodec codec;
    private final LoomJson loomJson;
    private final String description;
    private final Statements sql;
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<@Nullable Connection> snapshot = new ThreadLocal<>();
    private final Set<AdvisoryMaintenanceLock> heldLocks = ConcurrentHashMap.newKeySet();
    private final Map<AgentId, CorruptDataException> unreadable = new ConcurrentHashMap<>();
    private final RemoteChanges remote;
    private volatile boolean closed;

    private JdbcMemoryStore(Builder b, DataSource dataSource) {
        this.dataSource = dataSource;
        this.schema = b.schema == null ? DEFAULT_SCHEMA : b.schema;
        this.readOnly = b.readOnly != null && b.readOnly;
        this.ownedDataSource = Boolean.TRUE.equals(b.closeDataSource) && dataSource instanceof AutoCloseable a
                ? a : null;
        this.loomJson = LoomJson.defaults();
        this.codec = new LoomItemCodec(loomJson);
        this.sql = new Statements(SqlNames.quote(schema));
        String url = b.url == null ? "PostgreSQL" : withoutParameters(b.url);
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
            url = withoutParameters(meta.getURL());
            this.description = "PostgreSQL schema '" + schema + "' at " + url;
            Migrations.migrate(c, schema, readOnly);
        } catch (SQLException e) {
            throw translate("open the store", "PostgreSQL schema '" + schema + "' at " + url, e);
        }
        this.remote = new RemoteChanges(dataSource, schema, new RemoteChanges.Reader() {
            @Override
            public Set<AgentId> agents() {
                return JdbcMemoryStore.this.agents();
            }

            @Override
            public RemoteChanges.Versioned<List<MemoryItem>> items(AgentId agent, ItemKind kind) {
                return itemsWithVersion(agent, kind);
            }

            @Override
            public RemoteChanges.Versioned<Optional<MemoryItem>> find(AgentId agent, ItemKind kind, String id) {
                return findWithVersion(agent, kind, id);
            }
        }, this::notifyListeners, description);
    }

    /**
     * Opens the store in schema {@value #DEFAULT_SCHEMA}, creating or migrating its tables.
     *
     * @param dataSource where connections come from (not closed by the store)
     * @return the open store
     * @throws JdbcStoreException if the database cannot be reached
     * @throws dev.aml.core.MigrationException if the schema is newer than this AML
     */
    public static JdbcMemoryStore of(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the schema the store lives in */
    public String schema() {
        return schema;
    }

    /** @return the schema version of the store's tables (the latest this AML knows, once open) */
    public int schemaVersion() {
        return read("read the schema version", c -> Migrations.currentVersion(c, schema));
    }

    // ---------------------------------------------------------------------------------- reads

    @Override
    public Set<AgentId> agents() {
        return read("list agents", c -> {
            SortedSet<AgentId> out = new TreeSet<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.listAgents)) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!AgentId.isValid(name)) {
                        throw new CorruptDataException("Table " + schema + ".agents holds an invalid agent name '"
                                + name + "' (not written by AML); rename or delete that row with SQL.");
                    }
                    out.add(AgentId.of(name));
                }
            }
            return Collections.unmodifiableSortedSet(out);
        });
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        return itemsWithVersion(agent, kind).value();
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return findWithVersion(agent, kind, id).value();
    }

    @Override
    public long version(AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        return read("read the version of agent '" + agent + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.version)) {
                ps.setString(1, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * Rows whose {@code doc} could not be decoded, as met by reads of this store instance since it was
     * opened: a read of such an agent throws {@link CorruptDataException} and leaves the row untouched.
     * The database validates every {@code doc} as JSON when it is written, so only rows changed by
     * hand with SQL can end up here.
     */
    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        ensureOpen();
        return Map.copyOf(unreadable);
    }

    // ---------------------------------------------------------------------------------- writes

    @Override
    public void apply(List<Change> changes) {
        List<Change> copy = List.copyOf(changes);
        ensureWritable();
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
        Map<AgentId, Long> versions = inTransaction("apply " + copy.size() + " change(s)", c -> {
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
        if (!listeners.isEmpty()) {
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

    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fn, "fn");
        ensureWritable();
        long[] version = new long[1];
        MemoryItem next = inTransaction("update " + kind.label() + " '" + id + "' of agent '" + agent + "'", c -> {
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
                    current = decode(agent, kind, rs.getString(1), position, rs.getString(3));
                }
            }
            MemoryItem result = fn.apply(current);
            if (result == null || result.kind() != kind || !result.id().equals(id)) {
                throw new IllegalArgumentException("An update of " + kind.label() + " '" + id
                        + "' must return an item of the same kind and id, got "
                        + (result == null ? "null" : result.kind().label() + " '" + result.id() + "'"));
            }
            try (PreparedStatement ps = c.prepareStatement(sql.replaceAt)) {
                int i = ItemRows.bind(c, ps, 1, result, codec.encode(result));
                ps.setString(i++, agent.name());
                ps.setString(i++, kind.label());
                ps.setLong(i, position);
                ps.executeUpdate();
            }
            remote.announce(c, List.of(Change.upsert(agent, result)));
            return result;
        });
        if (!listeners.isEmpty()) {
            remote.deliverLocal(List.of(Change.upsert(agent, next)), Map.of(agent, version[0]));
        }
        return next;
    }

    /**
     * Locks the agent's row first (the order every write takes), deletes the item's rows and bumps the
     * agent's version only if rows went: of concurrent deleters, in this process or another, the first
     * to commit removes the rows and the others, waiting on the lock, then find none.
     */
    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        Change delete = Change.delete(agent, kind, id);
        ensureWritable();
        long[] version = new long[1];
        boolean removed = inTransaction("delete " + kind.label() + " '" + id + "' of agent '" + agent + "'", c -> {
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
        if (removed && !listeners.isEmpty()) {
            remote.deliverLocal(List.of(delete), Map.of(agent, version[0]));
        }
        return removed;
    }

    private static ItemNotFoundException notFound(AgentId agent, ItemKind kind, String id) {
        return new ItemNotFoundException("No " + kind.label() + " with id '" + id + "' for agent '" + agent + "'");
    }

    /**
     * Registers a listener. It sees this store's own writes on the writing thread, after commit, and
     * (from the first listener on) other processes' writes on a background thread that listens for
     * PostgreSQL notifications: those arrive asynchronously, usually within milliseconds, as changes
     * computed from the current state of the rows they name (an upsert of the item as it is now, a
     * delete, or a replaced list), so applying them in arrival order converges on the database.
     */
    @Override
    public void addChangeListener(Consumer<List<Change>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        ensureOpen();
        remote.start();
    }

    private RemoteChanges.Versioned<List<MemoryItem>> itemsWithVersion(AgentId agent, ItemKind kind) {
        return read("read " + kind.label() + "s of agent '" + agent + "'", c -> {
            long version = 0;
            List<MemoryItem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listItemsWithVersion)) {
                ps.setString(1, kind.label());
                ps.setString(2, agent.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        version = rs.getLong(1);
                        String doc = rs.getString(4);
                        if (doc != null) {
                            out.add(decode(agent, kind, rs.getString(2), rs.getLong(3), doc));
                        }
                    }
                }
            }
            return new RemoteChanges.Versioned<>(version, List.copyOf(out));
        });
    }

    private RemoteChanges.Versioned<Optional<MemoryItem>> findWithVersion(AgentId agent, ItemKind kind, String id) {
        return read("find " + kind.label() + " '" + id + "' of agent '" + agent + "'", c -> {
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

    /** Does nothing but check that the store is open: every write is committed before it returns. */
    @Override
    public void flush() {
        ensureOpen();
    }

    /** Does nothing but check that the store is open: the database is the at-rest form. */
    @Override
    public void checkpoint() {
        ensureOpen();
    }

    /**
     * Runs {@code action} in a REPEATABLE READ, read-only transaction: every read the action makes
     * through this store on the calling thread sees the same snapshot, taken when this method starts.
     * Writers (here and on other hosts) are not blocked; the action does not see their changes.
     * Nested calls on the same thread share the outer snapshot.
     */
    @Override
    public <T> T quiesced(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
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

    @Override
    public MaintenanceLock lockMaintenance(String operation) {
        Objects.requireNonNull(operation, "operation");
        ensureOpen();
        try {
            AdvisoryMaintenanceLock lock = AdvisoryMaintenanceLock.acquire(dataSource, schema, operation, description,
                    heldLocks::remove);
            heldLocks.add(lock);
            return lock;
        } catch (SQLException e) {
            throw translate("take the maintenance lock for '" + operation + "'", description, e);
        }
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Releases maintenance locks this store still holds and, if the builder said so, closes the data source. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        remote.close(); // first: its thread reads through this store until it stops
        closed = true;
        for (AdvisoryMaintenanceLock lock : List.copyOf(heldLocks)) {
            lock.close();
        }
        if (ownedDataSource != null) {
            try {
                ownedDataSource.close();
            } catch (Exception e) {
                LOG.warn("Closing the data source of {} failed: {}", description, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------------------------- Loom trees

    /**
     * Writes the whole memory as a Loom tree ({@code <tree>/<agent>/patterns.json} …) from one
     * consistent snapshot, for moving a fleet's memory to a laptop or into the file store. The tree's
     * files are written atomically by the file store; writers of this store are not blocked.
     *
     * @param tree a directory that does not exist or is empty (nothing is ever overwritten)
     * @return what was written
     * @throws InvalidInputException if {@code tree} is a non-empty directory or a file
     * @throws CorruptDataException if a row cannot be decoded (nothing is written then)
     */
    public LoomTransferReport exportTo(Path tree) {
        Objects.requireNonNull(tree, "tree");
        ensureOpen();
        return quiesced(() -> LoomTransfer.export(this, loomJson, tree));
    }

    /**
     * Replaces, for every agent found in a Loom tree, that agent's items of each kind that has a file
     * there ({@code patterns.json}, plain or gzip) with the file's, in one transaction, under the
     * maintenance lock (operation {@code "import"}). Agents that are not in the tree, and kinds without
     * a file, keep their memory. The tree is only read.
     *
     * @param tree the root of a Loom memory tree
     * @return what was imported
     * @throws CorruptDataException if any file of the tree cannot be read (nothing is imported then)
     * @throws dev.aml.core.ConcurrentOperationException if another maintenance operation is running
     */
    public LoomTransferReport importFrom(Path tree) {
        Objects.requireNonNull(tree, "tree");
        ensureWritable();
        MaintenanceLock lock = lockMaintenance("import");
        try {
            return LoomTransfer.importInto(this, loomJson, tree);
        } finally {
            lock.close();
        }
    }

    // ---------------------------------------------------------------------------------- plumbing

    private MemoryItem decode(AgentId agent, ItemKind kind, String id, long position, String doc) {
        try {
            return codec.decode(kind, doc);
        } catch (RuntimeException e) {
            CorruptDataException corrupt = new CorruptDataException("The " + kind.label() + " '" + id + "' of agent '"
                    + agent + "' (table " + schema + ".items, position " + position + ") is not a valid Loom "
                    + kind.label() + ": " + e.getMessage() + ". The row was left untouched; fix or delete it with"
                    + " SQL, or restore it from a backup.", null, position,
                    CorruptDataException.PositionKind.ELEMENT_INDEX, e);
            unreadable.put(agent, corrupt);
            throw corrupt;
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String operation, SqlWork<T> work) {
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

    private <T> T inTransaction(String operation, SqlWork<T> work) {
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
                    Migrations.rolledBack(c, e);
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

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOG.debug("Could not restore auto-commit on a connection that is being returned: {}", e.toString());
        }
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

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The store " + description + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new IllegalStateException("The store " + description + " was opened read-only; writes are refused");
        }
    }

    private void notifyListeners(List<Change> changes) {
        for (Consumer<List<Change>> listener : listeners) {
            try {
                listener.accept(changes);
            } catch (RuntimeException e) {
                LOG.warn("A change listener ({}) of {} threw; the write itself was committed", listener, description,
                        e);
            }
        }
    }


    static String withoutParameters(@Nullable String url) {
        if (url == null) {
            return "PostgreSQL";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** The SQL texts, with the schema filled in once. */
    private static final class Statements {
        final String listAgents;
        final String findItem;
        final String findItemForUpdate;
        final String version;
        final String bumpOrCreateAgent;
        final String bumpAgent;
        final String lockAgent;
        final String listItemsWithVersion;
        final String findItemWithVersion;
        final String replaceFirst;
        final String replaceAt;
        final String append;
        final String insertAt;
        final String deleteId;
        final String deleteKind;

        Statements(String q) {
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
        }
    }

    /**
     * Builds a {@link JdbcMemoryStore}. Each option may be set once; {@link #dataSource} or
     * {@link #url} is required.
     */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable String url;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable String schema;
        private @Nullable Boolean readOnly;
        private @Nullable Boolean closeDataSource;

        private Builder() {
        }

        /**
         * @param dataSource where connections come from; a pooled one for long-running applications
         * @return this builder
         * @throws IllegalStateException if a data source or URL was already set
         */
        public Builder dataSource(DataSource dataSource) {
            requireNoSource();
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Connects with the PostgreSQL driver's own unpooled data source (one connection per operation):
         * right for the CLI and short jobs; long-running applications should pass a pooled
         * {@link #dataSource}.
         *
         * @param jdbcUrl a {@code jdbc:postgresql://host:port/database} URL
         * @param user the user, or {@code null} for the driver's default
         * @param password the password, or {@code null}
         * @return this builder
         * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
         * @throws IllegalStateException if a data source or URL was already set
         */
        public Builder url(String jdbcUrl, @Nullable String user, @Nullable String password) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            requireNoSource();
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: '" + withoutParameters(jdbcUrl)
                        + "'; expected jdbc:postgresql://host:port/database");
            }
            this.url = jdbcUrl;
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * @param schema the schema to keep the tables in (default {@value JdbcMemoryStore#DEFAULT_SCHEMA});
         *     1-63 lower-case letters, digits and {@code _}; created if missing
         * @return this builder
         * @throws IllegalArgumentException if the name is not acceptable
         * @throws IllegalStateException if already set
         */
        public Builder schema(String schema) {
            if (this.schema != null) {
                throw new IllegalStateException("schema was already set to '" + this.schema + "'");
            }
            this.schema = SqlNames.validateSchema(Objects.requireNonNull(schema, "schema"));
            return this;
        }

        /**
         * @param readOnly whether to refuse writes and never create or migrate the schema (default false)
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder readOnly(boolean readOnly) {
            if (this.readOnly != null) {
                throw new IllegalStateException("readOnly was already set to " + this.readOnly);
            }
            this.readOnly = readOnly;
            return this;
        }

        /**
         * @param close whether {@link JdbcMemoryStore#close()} also closes the data source, if it is
         *     {@link AutoCloseable} (a HikariCP pool is); default false
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder closeDataSource(boolean close) {
            if (this.closeDataSource != null) {
                throw new IllegalStateException("closeDataSource was already set to " + this.closeDataSource);
            }
            this.closeDataSource = close;
            return this;
        }

        /**
         * Connects, checks the server and creates or migrates the schema.
         *
         * @return the open store
         * @throws IllegalStateException if neither a data source nor a URL was set
         * @throws JdbcStoreException if the database cannot be reached or refuses
         * @throws dev.aml.core.MigrationException if the schema is newer than this AML, or (read-only)
         *     missing or older
         */
        public JdbcMemoryStore build() {
            DataSource source = dataSource;
            if (source == null) {
                if (url == null) {
                    throw new IllegalStateException("Set dataSource(..) or url(..) before build()");
                }
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL(url);
                if (user != null) {
                    pg.setUser(user);
                }
                if (password != null) {
                    pg.setPassword(password);
                }
                source = pg;
            }
            return new JdbcMemoryStore(this, source);
        }

        private void requireNoSource() {
            if (dataSource != null) {
                throw new IllegalStateException("dataSource was already set to " + dataSource);
            }
            if (url != null) {
                throw new IllegalStateException("url was already set to '" + withoutParameters(url) + "'");
            }
        }
    }
}
