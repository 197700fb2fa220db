package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory store for tests that can pretend to have a directory and unreadable agents, and
 * counts batches and checkpoints.
 */
final class TestStore implements MemoryStore {

    final MemoryStore delegate = MemoryStore.inMemory();
    final Map<AgentId, CorruptDataException> unreadable = new HashMap<>();
    final AtomicInteger applies = new AtomicInteger();
    final AtomicInteger checkpoints = new AtomicInteger();
    private final @Nullable Path root;
    /** Runs once before the next apply, to simulate a concurrent writer. */
    @Nullable Runnable beforeNextSnapshotCheck;

    TestStore(@Nullable Path root) {
        this.root = root;
    }

    TestStore() {
        this(null);
    }

    TestStore with(MemoryItem... items) {
        for (MemoryItem item : items) {
            delegate.apply(List.of(Change.upsert(AgentId.of(item.agent()), item)));
        }
        return this;
    }

    TestStore withList(AgentId agent, ItemKind kind, List<? extends MemoryItem> items) {
        delegate.apply(List.of(Change.replaceAll(agent, kind, items)));
        return this;
    }

    @Override
    public Set<AgentId> agents() {
        Set<AgentId> all = new TreeSet<>(delegate.agents());
        all.addAll(unreadable.keySet());
        return all;
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        CorruptDataException bad = unreadable.get(agent);
        if (bad != null) {
            throw bad;
        }
        return delegate.items(agent, kind);
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        return delegate.find(agent, kind, id);
    }

    @Override
    public void apply(List<Change> changes) {
        for (Change c : changes) {
            if (unreadable.containsKey(c.agent())) {
                throw unreadable.get(c.agent());
            }
        }
        applies.incrementAndGet();
        delegate.apply(changes);
    }

    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        return delegate.update(agent, kind, id, fn);
    }

    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        if (unreadable.containsKey(agent)) {
            throw unreadable.get(agent);
        }
        applies.incrementAndGet();
        return delegate.delete(agent, kind, id);
    }

    @Override
    public long version(AgentId agent) {
        Runnable r = beforeNextSnapshotCheck;
        if (r != null) {
            beforeNextSnapshotCheck = null;
            r.run();
        }
        return delegate.version(agent);
    }

    @Override
    public void addChangeListener(Consumer<List<Change>> listener) {
        delegate.addChangeListener(listener);
    }

    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return Map.copyOf(unreadable);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void checkpoint() {
        checkpoints.incrementAndGet();
        delegate.checkpoint();
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        return delegate.quiesced(action);
    }

    @Override
    public MaintenanceLock lockMaintenance(String operation) {
        return delegate.lockMaintenance(operation);
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** The pretended directory's layout; rewrites and copies run quiesced on this store. */
    @Override
    public Optional<StoreFiles> files() {
        return Optional.ofNullable(root).map(r -> StoreFiles.of(r, this));
    }

    @Override
    public String describe() {
        return "test store";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
