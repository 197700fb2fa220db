package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Lets a second manager use another manager's store without closing it (tests compare two managers). */
final class SharedStore implements MemoryStore {
    private final MemoryStore delegate;

    SharedStore(MemoryStore delegate) {
        this.delegate = delegate;
    }

    @Override public Set<AgentId> agents() { return delegate.agents(); }
    @Override public List<MemoryItem> items(AgentId a, ItemKind k) { return delegate.items(a, k); }
    @Override public Optional<MemoryItem> find(AgentId a, ItemKind k, String id) { return delegate.find(a, k, id); }
    @Override public void apply(List<Change> changes) { delegate.apply(changes); }
    @Override public MemoryItem update(AgentId a, ItemKind k, String id, UnaryOperator<MemoryItem> fn) {
        return delegate.update(a, k, id, fn);
    }
    @Override public boolean delete(AgentId a, ItemKind k, String id) { return delegate.delete(a, k, id); }
    @Override public long version(AgentId a) { return delegate.version(a); }
    @Override public void addChangeListener(Consumer<List<Change>> l) { delegate.addChangeListener(l); }
    @Override public Map<AgentId, CorruptDataException> unreadableAgents() { return delegate.unreadableAgents(); }
    @Override public void flush() { delegate.flush(); }
    @Override public void checkpoint() { delegate.checkpoint(); }
    @Override public <T> T quiesced(Supplier<T> action) { return delegate.quiesced(action); }
    @Override public MaintenanceLock lockMaintenance(String op) { return delegate.lockMaintenance(op); }
    @Override public boolean readOnly() { return delegate.readOnly(); }
    @Override public Optional<StoreFiles> files() { return delegate.files(); }
    @Override public String describe() { return "shared " + delegate.describe(); }
    @Override public void close() { /* the owner closes it */ }
}
