package dev.aml.store.jdbc;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.loom.LoomJson;
import dev.aml.store.jdbc.internal.AdvisoryMaintenanceLock;
import dev.aml.store.jdbc.internal.ItemReads;
import dev.aml.store.jdbc.internal.ItemWrites;
import dev.aml.store.jdbc.internal.JdbcAccess;
import dev.aml.store.jdbc.internal.JdbcStatements;
import dev.aml.store.jdbc.internal.KnownRows;
import dev.aml.store.jdbc.internal.LoomItemCodec;
import dev.aml.store.jdbc.internal.LoomTransfer;
import dev.aml.store.jdbc.internal.RemoteChanges;
import dev.aml.store.jdbc.internal.SchemaMigrations;
import dev.aml.store.jdbc.internal.SqlNames;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * writers of different agents run in parallel. The SPI's update is an arbitrary function (Loom's
 * running-mean success rate, multiplicative confidence, refinements, last use — all inside the JSON
 * document), so SQL arithmetic cannot do it; instead {@link #update} is optimistic and costs one round
 * trip in the common case: the function runs in Java on the row as this store last read or wrote it,
 * and one auto-committed call of the schema's {@code update_item} function bumps the agent's version,
 * replaces the row only if it still holds exactly the document the function started from, and sends
 * the notification. If another writer changed the row meanwhile, nothing is written and the update
 * runs again holding the row ({@code SELECT … FOR UPDATE}, function, write, commit). The multi-process
 * test proves the counts exact. A deadlock or serialization failure reported by the server is retried
 * (the function may then run again, as the SPI allows).
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
 * <h2>Inside</h2>
 * This class holds the API, the builder and the listeners; the work is done by internal classes, one
 * concept each: {@code JdbcAccess} (connections, transactions, retries, the snapshot, error messages),
 * {@code JdbcStatements} (the SQL text), {@code ItemReads} and {@code ItemWrites}, {@code KnownRows}
 * (the rows this instance last saw, for one-round-trip updates), {@code RemoteChanges} (the
 * notifications), {@code AdvisoryMaintenanceLock}, {@code SchemaMigrations} and {@code LoomTransfer}.
 *
 * <p>Instances are thread-safe. Each operation borrows a connection from the {@link DataSource} and
 * returns it, so pass a pooled one (HikariCP or the application server's) for anything long-running.
 */
public final class JdbcMemoryStore implements MemoryStore {

    /** The schema used when the builder sets none. */
    public static final String DEFAULT_SCHEMA = "aml";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMemoryStore.class);

    private final JdbcAccess access;
    private final @Nullable AutoCloseable ownedDataSource;
    private final LoomJson loomJson;
    private final ItemReads reads;
    private final ItemWrites writes;
    private final RemoteChanges remote;
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final Set<AdvisoryMaintenanceLock> heldLocks = ConcurrentHashMap.newKeySet();

    private JdbcMemoryStore(Builder b, DataSource dataSource) {
        String schema = b.schema == null ? DEFAULT_SCHEMA : b.schema;
        this.ownedDataSource = Boolean.TRUE.equals(b.closeDataSource) && dataSource instanceof AutoCloseable a
                ? a : null;
        this.loomJson = LoomJson.defaults();
        this.access = JdbcAccess.open(dataSource, schema, b.readOnly != null && b.readOnly, b.url);
        JdbcStatements sql = new JdbcStatements(SqlNames.quote(schema));
        LoomItemCodec codec = new LoomItemCodec(loomJson);
        KnownRows known = new KnownRows();
        this.reads = new ItemReads(access, sql, codec, known);
        this.remote = new RemoteChanges(dataSource, schema, reads, this::notifyListeners, access.description());
        this.writes = new ItemWrites(access, sql, codec, reads, known, remote, () -> !listeners.isEmpty());
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
        return access.schema();
    }

    /** @return the schema version of the store's tables (the latest this AML knows, once open) */
    public int schemaVersion() {
        return access.read("read the schema version", c -> SchemaMigrations.currentVersion(c, access.schema()));
    }

    // ---------------------------------------------------------------------------------- reads

    @Override
    public Set<AgentId> agents() {
        return reads.agents();
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        return reads.items(agent, kind).value();
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return reads.find(agent, kind, id).value();
    }

    @Override
    public long version(AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        return reads.version(agent);
    }

    /**
     * Rows whose {@code doc} could not be decoded, as met by reads of this store instance since it was
     * opened: a read of such an agent throws {@link CorruptDataException} and leaves the row untouched.
     * The database validates every {@code doc} as JSON when it is written, so only rows changed by
     * hand with SQL can end up here.
     */
    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        access.ensureOpen();
        return reads.unreadableAgents();
    }

    // ---------------------------------------------------------------------------------- writes

    @Override
    public void apply(List<Change> changes) {
        writes.apply(changes);
    }

    /**
     * Runs {@code fn} on the item and writes its result atomically. The common case is one round trip:
     * the function runs on the row as this store last read or wrote it, and one auto-committed call of
     * the schema's {@code update_item} function bumps the agent's version, replaces the row only if it
     * still holds exactly that document, and sends the notification. When the row is not known yet it
     * is read first (one more round trip); when it changed meanwhile (another writer, process or host)
     * nothing is written and the update runs again under a row lock: version bump, {@code SELECT … FOR
     * UPDATE}, the function, the write, commit. Either way no update is lost, and {@code fn} may run
     * more than once, as the SPI allows.
     */
    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fn, "fn");
        return writes.update(agent, kind, id, fn);
    }

    /**
     * Locks the agent's row first (the order every write takes), deletes the item's rows and bumps the
     * agent's version only if rows went: of concurrent deleters, in this process or another, the first
     * to commit removes the rows and the others, waiting on the lock, then find none.
     */
    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        return writes.delete(agent, kind, id);
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
        access.ensureOpen();
        remote.start();
    }

    /** Does nothing but check that the store is open: every write is committed before it returns. */
    @Override
    public void flush() {
        access.ensureOpen();
    }

    /** Does nothing but check that the store is open: the database is the at-rest form. */
    @Override
    public void checkpoint() {
        access.ensureOpen();
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
        return access.quiesced(action);
    }

    @Override
    public MaintenanceLock lockMaintenance(String operation) {
        Objects.requireNonNull(operation, "operation");
        access.ensureOpen();
        try {
            AdvisoryMaintenanceLock lock = AdvisoryMaintenanceLock.acquire(access.dataSource(), access.schema(),
                    operation, access.description(), heldLocks::remove);
            heldLocks.add(lock);
            return lock;
        } catch (SQLException e) {
            throw access.translate("take the maintenance lock for '" + operation + "'", e);
        }
    }

    @Override
    public boolean readOnly() {
        return access.readOnly();
    }

    @Override
    public String describe() {
        return access.description();
    }

    /** Releases maintenance locks this store still holds and, if the builder said so, closes the data source. */
    @Override
    public void close() {
        if (access.closed()) {
            return;
        }
        remote.close(); // first: its thread reads through this store until it stops
        access.close();
        for (AdvisoryMaintenanceLock lock : List.copyOf(heldLocks)) {
            lock.close();
        }
        if (ownedDataSource != null) {
            try {
                ownedDataSource.close();
            } catch (Exception e) {
                LOG.warn("Closing the data source of {} failed: {}", access.description(), e.toString());
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
        access.ensureOpen();
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
        access.ensureWritable();
        MaintenanceLock lock = lockMaintenance("import");
        try {
            return LoomTransfer.importInto(this, loomJson, tree);
        } finally {
            lock.close();
        }
    }

    private void notifyListeners(List<Change> changes) {
        for (Consumer<List<Change>> listener : listeners) {
            try {
                listener.accept(changes);
            } catch (RuntimeException e) {
                LOG.warn("A change listener ({}) of {} threw; the write itself was committed", listener,
                        access.description(), e);
            }
        }
    }

    private static String withoutParameters(@Nullable String url) {
        return JdbcAccess.withoutParameters(url);
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
