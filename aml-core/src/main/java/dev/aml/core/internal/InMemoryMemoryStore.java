package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** A thread-safe store in memory only, guarded by one read-write lock. */
public final class InMemoryMemoryStore implements MemoryStore {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ItemTable table = new ItemTable();
    private final Map<AgentId, Long> versions = new ConcurrentHashMap<>();
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final InProcessMaintenanceLock maintenance = new InProcessMaintenanceLock();
    private volatile boolean closed;

    @Override
    public Set<AgentId> agents() {
        return read(() -> Set.copyOf(table.agents()).stream()
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        return read(() -> table.items(agent, kind));
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        return read(() -> table.find(agent, kind, id));
    }

    @Override
    public void apply(List<Change> changes) {
        List<Change> copy = List.copyOf(changes);
        lock.writeLock().lock();
        try {
            ensureOpen();
            for (Change c : copy) {
                table.apply(c);
                versions.merge(c.agent(), 1L, Long::sum);
            }
        } finally {
            lock.writeLock().unlock();
        }
        notifyListeners(copy);
    }

    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        MemoryItem next;
        lock.writeLock().lock();
        try {
            ensureOpen();
            next = table.computeUpdate(agent, kind, id, fn);
            table.apply(Change.upsert(agent, next));
            versions.merge(agent, 1L, Long::sum);
        } finally {
            lock.writeLock().unlock();
        }
        notifyListeners(List.of(Change.upsert(agent, next)));
        return next;
    }

    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        Change delete = Change.delete(agent, kind, id);
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (table.find(agent, kind, id).isEmpty()) {
                return false;
            }
            table.apply(delete);
            versions.merge(agent, 1L, Long::sum);
        } finally {
            lock.writeLock().unlock();
        }
        notifyListeners(List.of(delete));
        return true;
    }

    @Override
    public long version(AgentId agent) {
        return versions.getOrDefault(agent, 0L);
    }

    @Override
    public void addChangeListener(Consumer<List<Change>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return Map.of();
    }

    @Override
    public void flush() {
        ensureOpen();
    }

    @Override
    public void checkpoint() {
        ensureOpen();
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public MaintenanceLock lockMaintenance(String operation) {
        ensureOpen();
        return maintenance.acquire(operation, "this memory");
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public String describe() {
        return "in-memory store";
    }

    @Override
    public void close() {
        closed = true;
    }

    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The in-memory store is closed");
        }
    }

    private void notifyListeners(List<Change> changes) {
        for (Consumer<List<Change>> l : listeners) {
            l.accept(changes);
        }
    }
}
