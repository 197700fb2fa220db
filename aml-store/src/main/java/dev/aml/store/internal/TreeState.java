package dev.aml.store.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.internal.ItemTable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The file store's tree in memory: the items of every agent as {@link TreeLoader} loaded them with the
 * journal replayed on top, the agents that could not be read, which item lists changed since the last
 * checkpoint ("dirty"), and the journal sequence numbers written and checkpointed.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>One read-write lock, the <em>state lock</em>, guards all of it. Reads take it shared; a write
 *       takes it exclusively around {@link #append}, so the journal order, the sequence numbers and the
 *       order in which changes reach the table are one and the same.</li>
 *   <li>Journal first, then memory: {@link #append} buffers the journal entry before touching the
 *       table; if the journal refuses, nothing changed.</li>
 *   <li>A list is dirty from the write that changed it until a checkpoint took a snapshot of it
 *       ({@link #takeDirty}); a failed checkpoint puts its lists back ({@link #markDirty}), so no change
 *       is ever considered written to a file that does not hold it.</li>
 *   <li>An unreadable agent is never read or written ({@link #checkReadable}), and a checkpoint
 *       names it as excluded, so damage is never replaced by emptiness.</li>
 * </ul>
 * Who may hold which lock, and in what order (write gate, then checkpoint lock, then this lock), is
 * decided by {@code FileMemoryStore} and {@link Checkpointer}; this class takes its own lock and, for
 * a first-use load, the load monitor, which may be taken under the state lock but never the other way.
 *
 * <h2>Loaded on first use</h2>
 * A read-write store whose journal holds nothing to replay (the tree was closed cleanly) starts
 * {@linkplain #deferred deferred}: the item files are read the first time anything needs an item, the
 * unreadable agents or a write ({@link #agents()} lists the agent folders until then), so commands
 * that only copy the files (backups, their listing and verification) do not decode the whole tree
 * first. An edit another program makes before that first use is simply what the load reads. Until then nothing can be dirty and the journal
 * does not move, so the journal state read at open stays valid for the later load. The load runs on
 * a thread of its own and needs no lock of the store, so it may be triggered by a caller that holds
 * any of them; only one load runs, later callers wait for it, and a failed load is retried by the
 * next caller.
 */
public final class TreeState {

    /**
     * The dirty item lists a checkpoint writes, taken atomically with the journal position.
     *
     * @param seq the last journal sequence number the snapshot holds
     * @param from the journal position of the first entry <em>after</em> the snapshot (kept by the trim)
     * @param items the dirty lists, with their items at {@code seq}
     * @param excluded names of unreadable agents, whose files the checkpoint must not write
     */
    public record Snapshot(long seq, long from, Map<ListKey, List<MemoryItem>> items, Set<String> excluded) {
    }

    /** The loaded part: items, unreadable agents, dirty lists and the state of every item file. */
    private record Tree(ItemTable table, Map<AgentId, CorruptDataException> unreadable, Set<ListKey> dirty,
            Map<ListKey, TreeFiles.FileState> fileStates, Map<ListKey, Path> fileNames) {

        static Tree of(TreeLoader.Loaded loaded) {
            return new Tree(loaded.table(), loaded.unreadable(), loaded.dirty(), loaded.fileStates(),
                    loaded.fileNames());
        }
    }

    private final Path root;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object loading = new Object();
    private final @Nullable Supplier<TreeLoader.Loaded> load;
    private final @Nullable Supplier<List<AgentId>> listAgents;
    private volatile @Nullable Tree tree;
    /** Set when the store closes: no load may start after its lock is released. Guarded by {@link #loading}. */
    private boolean loadsRefused;
    private final Map<AgentId, Long> versions = new ConcurrentHashMap<>();
    private long lastSeq;
    /** Written by the checkpointer thread only; read under the lock. */
    private volatile long checkpointedSeq;

    /**
     * @param root the memory root, for messages
     * @param loaded what loading the tree produced
     */
    public TreeState(Path root, TreeLoader.Loaded loaded) {
        this.root = root;
        this.load = null;
        this.listAgents = null;
        this.tree = Tree.of(loaded);
        this.lastSeq = loaded.lastSeq();
        this.checkpointedSeq = loaded.checkpointedSeq();
    }

    private TreeState(Path root, long seq, Supplier<TreeLoader.Loaded> load, Supplier<List<AgentId>> listAgents) {
        this.root = root;
        this.load = load;
        this.listAgents = listAgents;
        this.lastSeq = seq;
        this.checkpointedSeq = seq;
    }

    /**
     * A tree whose item files are read on first use.
     *
     * @param root the memory root, for messages
     * @param seq the journal's last sequence number, which the item files hold (nothing to replay)
     * @param load reads the item files (on a thread of its own; throws unchecked exceptions only)
     * @param listAgents lists the agent folders (the agents a load would find), answering
     *     {@link #agents()} before the load
     * @return the state, not loaded yet
     */
    public static TreeState deferred(Path root, long seq, Supplier<TreeLoader.Loaded> load,
            Supplier<List<AgentId>> listAgents) {
        return new TreeState(root, seq, load, listAgents);
    }

    /** @return whether the item files have been read */
    public boolean loaded() {
        return tree != null;
    }

    /** Reads the item files if that has not happened yet; returns when they are loaded. */
    public void ensureLoaded() {
        tree();
    }

    private Tree tree() {
        Tree t = tree;
        if (t != null) {
            return t;
        }
        synchronized (loading) {
            t = tree;
            if (t == null) {
                if (loadsRefused) {
                    throw new IllegalStateException("The store on " + root + " is closed");
                }
                TreeLoader.Loaded loaded = Objects.requireNonNull(load).get();
                if (loaded.lastSeq() != lastSeq || !loaded.dirty().isEmpty()) {
                    // cannot happen: nothing is written before the load, and the journal had nothing to replay
                    throw new IllegalStateException("The journal of " + root + " changed before the tree was loaded");
                }
                t = Tree.of(loaded);
                tree = t;
            }
            return t;
        }
    }

    /**
     * Waits for a load in progress and refuses every later one: the store is closing, and a load after
     * its tree lock is released could read (and clean up temp files) under another writer.
     */
    public void refuseLoads() {
        synchronized (loading) {
            loadsRefused = true;
        }
    }

    /**
     * @return the state of every item file as loaded or last written (empty before the load); the
     *     checkpointer's, used under its checkpoint lock
     */
    public Map<ListKey, TreeFiles.FileState> fileStates() {
        Tree t = tree;
        return t == null ? Map.of() : t.fileStates(); // nothing can be recorded before the load
    }

    /** @return the file each item list was read from (empty before the load) */
    public Map<ListKey, Path> fileNames() {
        Tree t = tree;
        return t == null ? Map.of() : t.fileNames();
    }

    // ------------------------------------------------------------------------------------------ reads

    /**
     * @return every agent with items or unreadable files; before the load, the agent folders (which
     *     the load turns into exactly these agents), without reading any item file
     */
    public Set<AgentId> agents() {
        Tree t = tree;
        if (t == null) {
            return Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(listAgents).get()));
        }
        return read(() -> Collections.unmodifiableSet(new TreeSet<>(t.table().agents())));
    }

    /**
     * @param agent the agent
     * @param kind the kind
     * @return its items of that kind, in order
     */
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        Tree t = tree();
        return read(() -> t.table().items(agent, kind));
    }

    /**
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return the first item with that id
     */
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        Tree t = tree();
        return read(() -> t.table().find(agent, kind, id));
    }

    /**
     * @param agent the agent
     * @return the number of changes applied to its items in this session
     */
    public long version(AgentId agent) {
        return versions.getOrDefault(agent, 0L);
    }

    /** @return the unreadable agents with the reason, sorted by name */
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return Collections.unmodifiableMap(new TreeMap<>(tree().unreadable()));
    }

    /**
     * @param agent an agent about to be read or written
     * @throws CorruptDataException if its files could not be read
     */
    public void checkReadable(AgentId agent) {
        CorruptDataException e = tree().unreadable().get(agent);
        if (e != null) {
            throw new CorruptDataException("Agent '" + agent + "' of " + root + " is unreadable, so AML neither reads "
                    + "nor writes it: " + e.getMessage(), e.file().orElse(null), e.position(), e.positionKind(), e);
        }
    }

    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ writes

    /**
     * Runs {@code action} holding the state lock exclusively: reads inside it see no concurrent write.
     *
     * @param action what to run, typically a check followed by {@link #append}
     * @param <T> the result type
     * @return the action's result
     */
    public <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Journal first, then memory: appends one batch entry, then applies its changes to the table.
     * Caller is inside {@link #write}.
     *
     * @param journal the journal
     * @param changes the changes
     * @param batch their encoded batch entry; encoded again here if a list it was encoded against
     *     changed since (another write came first)
     * @return the journal position after the entry (what a {@code SYNC} caller waits for)
     */
    public long append(JournalWriter journal, List<Change> changes, JournalFormat.PendingBatch batch) {
        Tree t = tree();
        long seq = lastSeq + 1;
        JournalFormat.PendingBatch current = batch.basedOn(t.table()::items) ? batch
                : JournalFormat.batch(changes, t.table()::items);
        long position = journal.append(current.framed(seq));
        lastSeq = seq;
        for (Change c : changes) {
            t.table().apply(c);
            t.dirty().add(new ListKey(c.agent(), c.kind()));
            versions.merge(c.agent(), 1L, Long::sum);
        }
        return position;
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * Takes the dirty lists for a checkpoint and marks them clean, together with the journal position
     * they correspond to, in one step under the state lock.
     *
     * @param journal the journal
     * @return the snapshot, or null if nothing changed since the last checkpoint
     */
    public @Nullable Snapshot takeDirty(JournalWriter journal) {
        Tree t = tree;
        if (t == null) {
            return null; // not loaded: nothing was written, the files hold everything
        }
        Set<ListKey> dirty = t.dirty();
        return write(() -> {
            long seq = lastSeq;
            long from = journal.appendedPosition();
            if (dirty.isEmpty() && seq == checkpointedSeq) {
                return null;
            }
            Map<ListKey, List<MemoryItem>> items = new LinkedHashMap<>();
            for (ListKey key : dirty) {
                items.put(key, t.table().items(key.agent(), key.kind()));
            }
            dirty.clear();
            Set<String> excluded = new LinkedHashSet<>();
            for (AgentId a : t.unreadable().keySet()) {
                excluded.add(a.name());
            }
            return new Snapshot(seq, from, items, excluded);
        });
    }

    /**
     * Marks lists dirty again after a failed checkpoint, so the next one writes them.
     *
     * @param keys the lists
     */
    public void markDirty(Collection<ListKey> keys) {
        Tree t = tree();
        write(() -> t.dirty().addAll(keys));
    }

    /**
     * Records that the item files now hold everything up to {@code seq}. Checkpointer thread only.
     *
     * @param seq the checkpointed sequence number
     */
    public void checkpointed(long seq) {
        checkpointedSeq = seq;
    }
}
