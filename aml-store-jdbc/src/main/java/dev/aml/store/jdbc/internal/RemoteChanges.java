package dev.aml.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this process about writes made by other processes, so that in-memory indexes built from
 * change listeners (the query engine's) stay in sync on every host.
 *
 * <p>Every write transaction sends {@code pg_notify(channel, payload)} naming its store instance and
 * what it changed: {@code [kind, agent, id]} per upserted, updated or deleted item,
 * {@code [kind, agent]} for a replaced list, {@code ["*"]} when a batch is too large to name
 * (PostgreSQL caps a payload near 8 kB). PostgreSQL delivers notifications only after commit, in
 * commit order. One daemon thread per store {@code LISTEN}s on a dedicated connection, skips its own
 * instance's notifications (those were delivered synchronously by the writer) and turns every other
 * entry into a change computed from the database's <em>current</em> state: the item as it is now
 * ({@link Change#upsert}), its absence ({@link Change#delete}), or the whole list
 * ({@link Change#replaceAll}).
 *
 * <h2>Why listeners converge</h2>
 * Each read of current state also reads, in the same statement (one snapshot), the agent's version
 * counter. Deliveries to listeners, local and remote, are serialized by one lock that records the
 * highest version delivered per agent. A remote read older than that (a local write of the same
 * agent committed and was delivered after the read) could undo the newer state in the listener's
 * index, so it is not delivered but read again; the fresh read is at least as new as everything
 * delivered. Two local writers of one agent can also deliver out of commit order (both deliver after
 * their commits, outside any lock); the one overtaken delivers its changes and then the current state
 * of what it touched. So a listener never stays on an older state of a row.
 *
 * <p>{@code LISTEN} runs before {@link #start} returns, so a reader that loads its state after
 * registering misses nothing. If the listening connection breaks, the thread reconnects with backoff
 * and then reports every list as replaced, since notifications sent meanwhile are lost.
 * Notifications are asynchronous: other hosts' writes typically arrive within milliseconds, never
 * before their commit.
 */
public final class RemoteChanges implements AutoCloseable {

    /**
     * A value read together with its agent's version, in one statement.
     *
     * @param version the agent's version when the value was read (0 if the agent has no row)
     * @param value the value
     * @param <T> the value's type
     */
    public record Versioned<T>(long version, T value) {
    }

    /** The current state of the store, read by the listening thread. */
    public interface Reader {
        /** @return every agent */
        Set<AgentId> agents();

        /**
         * @param agent the agent
         * @param kind the kind
         * @return its items now, with the agent's version
         */
        Versioned<List<MemoryItem>> items(AgentId agent, ItemKind kind);

        /**
         * @param agent the agent
         * @param kind the kind
         * @param id the id
         * @return the first item with that id now, with the agent's version
         */
        Versioned<Optional<MemoryItem>> find(AgentId agent, ItemKind kind, String id);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RemoteChanges.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_PAYLOAD = 7_500;
    private static final int POLL_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final int MAX_REREADS = 5;

    private final DataSource dataSource;
    private final String channel;
    private final Reader reader;
    private final Consumer<List<Change>> sink;
    private final String store;
    private final String instance = UUID.randomUUID().toString();
    private final Object deliveryLock = new Object();
    private final Map<AgentId, Long> delivered = new HashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile @Nullable Connection connection;
    private @Nullable Thread thread;

    /**
     * @param dataSource where the listening connection comes from
     * @param schema the store's schema (names the channel)
     * @param reader reads current state
     * @param sink receives the changes (the store's listeners)
     * @param store the store's description, for logs
     */
    public RemoteChanges(DataSource dataSource, String schema, Reader reader, Consumer<List<Change>> sink,
            String store) {
        this.dataSource = dataSource;
        this.channel = channel(schema);
        this.reader = reader;
        this.sink = sink;
        this.store = store;
    }

    /**
     * @param schema the schema
     * @return the notification channel of that schema
     */
    public static String channel(String schema) {
        return "aml_changes_" + Integer.toHexString(AdvisoryKeys.schemaKey(schema));
    }

    /**
     * Sends the notification for {@code changes} inside the caller's transaction.
     *
     * @param c the transaction's connection
     * @param changes what the transaction changed
     * @throws SQLException if the database fails
     */
    public void announce(Connection c, List<Change> changes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, notification(changes));
            ps.execute();
        }
    }

    /** @return the channel {@link #announce} notifies, for statements that send the notification themselves */
    public String channel() {
        return channel;
    }

    /**
     * @param changes what a transaction changes
     * @return the notification payload {@link #announce} would send for them
     */
    public String notification(List<Change> changes) {
        return instance + ' ' + payload(changes);
    }

    /**
     * Delivers this store's own committed changes to the listeners (on the writing thread), and records
     * the versions they were committed at.
     *
     * @param changes the changes
     * @param versions each touched agent's version after the commit
     */
    public void deliverLocal(List<Change> changes, Map<AgentId, Long> versions) {
        boolean overtaken;
        synchronized (deliveryLock) {
            overtaken = versions.entrySet().stream()
                    .anyMatch(e -> e.getValue() < delivered.getOrDefault(e.getKey(), 0L));
            versions.forEach((agent, v) -> delivered.merge(agent, v, Math::max));
            sink.accept(changes);
        }
        if (overtaken) {
            // a newer write of the same agent was delivered first: these changes may have put an older
            // state back, so deliver the current state of everything they touched
            for (Change c : changes) {
                deliverCurrent(c instanceof Change.Upsert u ? new Target(c.agent(), c.kind(), u.item().id())
                        : c instanceof Change.Delete d ? new Target(c.agent(), c.kind(), d.id())
                        : new Target(c.agent(), c.kind(), null));
            }
        }
    }

    static String payload(List<Change> changes) {
        ArrayNode exact = MAPPER.createArrayNode();
        ArrayNode lists = MAPPER.createArrayNode();
        Set<String> seenLists = new LinkedHashSet<>();
        for (Change change : changes) {
            String kind = change.kind().label();
            String agent = change.agent().name();
            if (seenLists.add(kind + '\u0000' + agent)) {
                lists.addArray().add(kind).add(agent);
            }
            if (change instanceof Change.Upsert u) {
                exact.addArray().add(kind).add(agent).add(u.item().id());
            } else if (change instanceof Change.Delete d) {
                exact.addArray().add(kind).add(agent).add(d.id());
            } else {
                exact.addArray().add(kind).add(agent);
            }
        }
        for (ArrayNode candidate : List.of(exact, lists)) {
            String text = candidate.toString();
            if (text.length() <= MAX_PAYLOAD / 3) { // up to 3 UTF-8 bytes per char
                return text;
            }
        }
        return "[[\"*\"]]";
    }

    /**
     * Starts listening: {@code LISTEN} has run when this returns (or failed, and the thread retries).
     */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        boolean listening = false;
        try {
            listen();
            listening = true;
        } catch (SQLException e) {
            LOG.warn("Cannot listen for other processes' writes on {} ({}); retrying in the background", store,
                    e.getMessage());
        }
        boolean resync = !listening;
        Thread t = new Thread(() -> run(resync), "aml-jdbc-changes-" + channel);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + channel);
            }
            connection = c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void run(boolean resyncFirst) {
        boolean resync = resyncFirst;
        long backoff = 100;
        while (closed.getCount() > 0) {
            try {
                if (connection == null) {
                    listen();
                }
                if (resync) {
                    deliver(Set.of(List.of("*")));
                    resync = false;
                }
                backoff = 100;
                poll();
            } catch (SQLException | RuntimeException e) {
                if (closed.getCount() == 0) {
                    break;
                }
                LOG.warn("Lost the change notifications of {} ({}); reconnecting in {} ms", store, e.getMessage(),
                        backoff);
                dropConnection();
                resync = true;
                try {
                    if (closed.await(backoff, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        dropConnection();
    }

    private void poll() throws SQLException {
        while (closed.getCount() > 0) {
            Connection c = connection;
            if (c == null) {
                return;
            }
            PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
            if (notifications == null || notifications.length == 0) {
                continue;
            }
            Set<List<String>> entries = new LinkedHashSet<>();
            for (PGNotification n : notifications) {
                String text = n.getParameter();
                int space = text.indexOf(' ');
                if (space > 0 && text.substring(0, space).equals(instance)) {
                    continue; // delivered synchronously by our own writer
                }
                entries.addAll(parse(space > 0 ? text.substring(space + 1) : text));
            }
            if (!entries.isEmpty()) {
                deliver(entries);
            }
        }
    }

    static List<List<String>> parse(String payload) {
        List<List<String>> out = new ArrayList<>();
        try {
            for (JsonNode entry : MAPPER.readTree(payload)) {
                List<String> parts = new ArrayList<>();
                entry.forEach(p -> parts.add(p.asText()));
                out.add(List.copyOf(parts));
            }
        } catch (JsonProcessingException e) {
            out.add(List.of("*")); // not ours or damaged: resynchronise everything rather than miss a change
        }
        return out;
    }

    /** One entry to read: a whole list ({@code id == null}) or one item. */
    private record Target(AgentId agent, ItemKind kind, @Nullable String id) {
    }

    void deliver(Set<List<String>> entries) {
        List<Target> targets = new ArrayList<>();
        try {
            if (entries.stream().anyMatch(e -> e.size() < 2)) {
                for (AgentId agent : reader.agents()) {
                    for (ItemKind kind : ItemKind.values()) {
                        targets.add(new Target(agent, kind, null));
                    }
                }
            } else {
                Set<List<String>> replaced = new LinkedHashSet<>();
                for (List<String> e : entries) {
                    if (e.size() == 2) {
                        replaced.add(e);
                    }
                }
                for (List<String> e : entries) {
                    ItemKind kind = kind(e.get(0));
                    if (kind == null || !AgentId.isValid(e.get(1))) {
                        continue;
                    }
                    if (e.size() == 2) {
                        targets.add(new Target(AgentId.of(e.get(1)), kind, null));
                    } else if (!replaced.contains(List.of(e.get(0), e.get(1)))) {
                        targets.add(new Target(AgentId.of(e.get(1)), kind, e.get(2)));
                    }
                }
            }
            for (Target t : targets) {
                deliverCurrent(t);
            }
        } catch (RuntimeException e) {
            if (closed.getCount() == 0) {
                return; // shutting down
            }
            LOG.warn("Could not read the changes other processes made to {} ({}); listeners miss them until the"
                    + " next change of those items", store, e.getMessage());
        }
    }

    /** Reads the target's current state and delivers it, re-reading while it is older than what was delivered. */
    private void deliverCurrent(Target t) {
        for (int attempt = 1; ; attempt++) {
            Versioned<Change> read = read(t);
            synchronized (deliveryLock) {
                long seen = delivered.getOrDefault(t.agent(), 0L);
                if (read.version() >= seen || attempt >= MAX_REREADS) {
                    if (read.version() < seen) {
                        LOG.warn("{} of agent '{}' kept changing locally; delivering the state of version {} (newest"
                                + " delivered: {})", t.kind().label(), t.agent(), read.version(), seen);
                    }
                    delivered.merge(t.agent(), read.version(), Math::max);
                    sink.accept(List.of(read.value()));
                    return;
                }
            }
        }
    }

    private Versioned<Change> read(Target t) {
        if (t.id() == null) {
            Versioned<List<MemoryItem>> list = reader.items(t.agent(), t.kind());
            return new Versioned<>(list.version(), Change.replaceAll(t.agent(), t.kind(), list.value()));
        }
        Versioned<Optional<MemoryItem>> item = reader.find(t.agent(), t.kind(), t.id());
        return new Versioned<>(item.version(), item.value().isPresent()
                ? Change.upsert(t.agent(), item.value().get())
                : Change.delete(t.agent(), t.kind(), t.id()));
    }

    private static @Nullable ItemKind kind(String label) {
        for (ItemKind k : ItemKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        return null;
    }

    private void dropConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("UNLISTEN *");
                }
                c.close();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException ignored) {
                    LOG.debug("abort of the listening connection of {} failed", store);
                }
            }
        }
    }

    /** Stops the thread (within one poll interval) and returns its connection. */
    @Override
    public void close() {
        closed.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            dropConnection();
        }
    }
}
