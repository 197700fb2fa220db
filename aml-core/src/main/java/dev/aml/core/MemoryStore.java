package dev.aml.core;

import dev.aml.core.internal.InMemoryMemoryStore;
import dev.aml.core.internal.StoreProviders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The storage SPI: where the items of every agent live. The file store ({@code aml-store}), the
 * in-memory store ({@link #inMemory()}) and the PostgreSQL store implement it; everything above it,
 * queries and maintenance alike, goes through these methods only.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Implementations are thread-safe. {@link #apply(List)} is atomic: all changes become visible
 *       together, or none does. {@link #update} is an atomic read-modify-write, so concurrent
 *       updates of one item lose nothing.</li>
 *   <li>Reads return immutable snapshots; items of a kind keep their order.</li>
 *   <li>Data that cannot be read is never presented as empty: reading an agent whose files are
 *       unreadable throws {@link CorruptDataException}, and {@link #unreadableAgents()} lists them.</li>
 *   <li>Every implementation passes {@code MemoryStoreContract} from aml-core's test-jar.</li>
 * </ul>
 *
 * <h2>Opening a store by location</h2>
 * {@link #open(String, StoreOptions)} opens any store from a location string with the one
 * {@link MemoryStoreProvider} that accepts it: a directory path ({@code aml-store}), a
 * {@code jdbc:postgresql:} URL ({@code aml-store-jdbc}), {@code memory:} (this module), or a
 * third-party store's own locations. Callers then never name a store class.
 */
public interface MemoryStore extends AutoCloseable {

    /** @return a new, empty, thread-safe store that keeps everything in memory (tests, demos, caches) */
    static MemoryStore inMemory() {
        return new InMemoryMemoryStore();
    }

    /**
     * @param location where the store is: a directory path, {@code jdbc:postgresql://host:port/db},
     *     {@code memory:}, or what another provider on the class path accepts
     * @return the store, opened read-write with its defaults; the caller closes it
     * @throws InvalidInputException if no provider (or more than one) accepts the location, naming
     *     the providers found
     */
    static MemoryStore open(String location) {
        return open(location, StoreOptions.defaults());
    }

    /**
     * @param location where the store is (see {@link #open(String)})
     * @param options how to open it; the provider refuses options its store cannot honour
     * @return the store; the caller closes it
     * @throws InvalidInputException if no provider (or more than one) accepts the location, naming
     *     the providers found, or if an option does not apply to that store
     */
    static MemoryStore open(String location, StoreOptions options) {
        return StoreProviders.open(location, options);
    }

    /**
     * Opens a directory as a store: the path as written is the location (the file store of
     * {@code aml-store} accepts it), or its {@code file:} URI when the path itself would read as
     * another scheme ({@code memory:x}).
     *
     * @param directory the memory root
     * @param options how to open it
     * @return the store; the caller closes it
     * @throws InvalidInputException if no provider (or more than one) accepts the directory
     */
    static MemoryStore open(Path directory, StoreOptions options) {
        return StoreProviders.open(StoreProviders.location(directory), options);
    }

    /** @return every agent with memory in this store, sorted by name (unreadable ones included) */
    Set<AgentId> agents();

    /**
     * @param agent the agent
     * @param kind the kind
     * @return the agent's items of that kind in order; empty if it has none
     * @throws CorruptDataException if the agent's file for that kind could not be read
     */
    List<MemoryItem> items(AgentId agent, ItemKind kind);

    /**
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return the first item with that id
     * @throws CorruptDataException if the agent's file for that kind could not be read
     */
    Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id);

    /**
     * Applies changes atomically and durably according to the store's durability setting.
     *
     * @param changes the changes, applied in order
     * @throws CorruptDataException if a change touches an agent whose files could not be read
     * @throws IllegalStateException if the store is read-only or closed
     */
    void apply(List<Change> changes);

    /**
     * Atomic read-modify-write of one item: {@code fn} sees the current item and returns its
     * replacement, with no other write to that item in between. {@code fn} may run more than once
     * on stores that retry on conflict, so it must not have side effects.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @param fn computes the new item; it must keep the id and kind
     * @return the stored new item
     * @throws ItemNotFoundException if no such item exists
     * @throws IllegalArgumentException if {@code fn} changed the id or kind
     */
    MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn);

    /**
     * Removes every copy of one item and says whether <em>this call</em> removed it: the check and the
     * removal are one atomic step, so when several threads (or, for stores shared between processes,
     * several processes) delete the same item at once, exactly one of them gets {@code true}.
     * Listeners see a {@link Change.Delete} only when something was removed; deleting nothing changes
     * nothing (the agent's {@link #version} stays as it was).
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return {@code true} if this call removed the item, {@code false} if there was none
     * @throws CorruptDataException if the agent's files could not be read
     * @throws IllegalStateException if the store is read-only or closed
     */
    boolean delete(AgentId agent, ItemKind kind, String id);

    /**
     * @param agent the agent
     * @return a number that grows with every change to that agent's items (caches key on it)
     */
    long version(AgentId agent);

    /**
     * Registers a listener called after every successful {@link #apply} or {@link #update}, on the
     * writing thread, with the changes applied. Listeners must be fast and must not throw.
     *
     * @param listener the listener
     */
    void addChangeListener(Consumer<List<Change>> listener);

    /** @return agents whose files could not be read, with the reason; empty when all is well */
    Map<AgentId, CorruptDataException> unreadableAgents();

    /** Makes every write acknowledged so far durable (fsync). */
    void flush();

    /** Writes the current state to the store's at-rest form (for the file store: the JSON files). */
    void checkpoint();

    /**
     * Runs {@code action} on a consistent at-rest state: the store checkpoints, then holds writes
     * back until the action returns. Backups use it so that they never see half a change.
     *
     * @param action what to run, typically copying files
     * @param <T> the result type
     * @return the action's result
     */
    <T> T quiesced(Supplier<T> action);

    /**
     * The store's files, for stores whose items live in a Loom tree on disk: where they are, their
     * layout, rewriting them in place and copying them consistently. This is the one file capability
     * of the SPI: maintenance reaches files only through it, and without it (PostgreSQL, in memory)
     * works on items alone. A store that wraps another forwards it.
     *
     * @return the store's files, or empty (the default) for a store without files
     */
    default Optional<StoreFiles> files() {
        return Optional.empty();
    }

    /**
     * Takes the maintenance lock, so that two maintenance operations never run at once on the same
     * memory, in this process or (for stores that support it) in any other.
     *
     * @param operation the operation's name, shown to whoever is refused
     * @return the held lock
     * @throws ConcurrentOperationException if another operation holds it, naming that operation
     */
    MaintenanceLock lockMaintenance(String operation);

    /** @return whether writes are refused */
    boolean readOnly();

    /** @return a short description for messages, e.g. {@code "file tree /srv/app/.loom/memory"} */
    String describe();

    /** Flushes, checkpoints where applicable, and releases resources and locks. Idempotent. */
    @Override
    void close();
}
