package dev.aml.store;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.Durability;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.InProcessMaintenanceLock;
import dev.aml.core.internal.SetOnce;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.loom.TimestampStyle;
import dev.aml.store.internal.Checkpointer;
import dev.aml.store.internal.FileOps;
import dev.aml.store.internal.FileStoreOptions;
import dev.aml.store.internal.JournalFormat;
import dev.aml.store.internal.JournalWriter;
import dev.aml.store.internal.TreeFiles;
import dev.aml.store.internal.TreeLoader;
import dev.aml.store.internal.TreeLoader.Loaded;
import dev.aml.store.internal.TreeLock;
import dev.aml.store.internal.TreeState;
import dev.aml.store.internal.TreeStoreFiles;
import dev.aml.store.internal.Uninterruptibly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link MemoryStore} on a Loom memory tree:
 * {@code <root>/<agent>/patterns.json|solutions.json|decisions.json}, plus {@code config/},
 * {@code global/} and {@code monitoring/}.
 *
 * <h2>How a write becomes durable</h2>
 * Every {@link #apply} or {@link #update} appends one CRC32C-checked entry to a write-ahead journal,
 * {@code global/aml.journal} (Loom's tools skip {@code global/}), updates the in-memory table and
 * returns according to the {@link Durability}: {@code SYNC} after an fsync shared with concurrent
 * writers (group commit), {@code BATCH} (default) at once, with a background fsync within one fsync
 * time, {@code NONE} without fsync until {@link #flush()}, checkpoint or close. The journal's own
 * thread does the writing and fsyncing (see "Interrupts" below).
 *
 * <h2>Checkpoints</h2>
 * A checkpoint writes only the item files that changed (temp file, fsync, a CHECKPOINT journal entry,
 * rename, directory fsync) and then trims the journal; a crash at any point leaves a tree that opens
 * with every acknowledged write. Checkpoints run on {@link #checkpoint()}, on {@link #close()}, inside
 * {@link #quiesced}, and in the background when the journal exceeds {@code checkpointBytes} or
 * {@code checkpointInterval} has passed; after a failed checkpoint these background triggers wait
 * 1 s, 2 s, 4 s, … (at most 60 s) before retrying. After {@code close()} the JSON files alone hold
 * the truth. {@code Checkpointer} (in {@code dev.aml.store.internal}) explains the crash protocol.
 *
 * <h2>Damage is never turned into emptiness</h2>
 * An item file that cannot be read makes its agent unreadable ({@link #unreadableAgents()}): reads
 * and writes of that agent throw {@link CorruptDataException}; its files are never written; other
 * agents work normally. A torn journal tail (crash while appending) is dropped with a WARN; damage
 * before the tail refuses a read-write open (read-only open still works, replaying the valid prefix).
 *
 * <h2>External edits: fail clearly, merge on reopen</h2>
 * The store remembers size, modification time and file key of every item file it loaded or wrote.
 * If another program changed a file that a checkpoint is about to rewrite, the checkpoint writes
 * nothing and throws {@link ConcurrentOperationException} naming the file; the other program's file
 * stays as it is and AML's changes stay in the journal. Reopening the store merges them: it loads
 * the file as the other program left it and replays the journal on top (upserts by id, deletes,
 * replacements). Once the tree is loaded, reads within a session do not see external edits.
 *
 * <h2>Read on first use</h2>
 * A read-write store whose journal holds nothing to replay (the tree was closed cleanly) does not
 * read the item files at open: the first item read, write or question about unreadable agents loads
 * the whole tree once (see {@code TreeState}), and {@link #agents()} lists the agent folders until
 * then. Commands that only copy files (backups, their listing and verification) so never decode the
 * tree; {@link StoreFiles#itemsLoaded()} says which state a store is in. A journal with changes to
 * replay, and a read-only store, load at open as before.
 *
 * <h2>Interrupts: the store's disk I/O never runs on a caller's thread</h2>
 * The JDK closes a {@link java.nio.channels.FileChannel} when a thread is interrupted inside an
 * operation on it ({@link java.nio.channels.ClosedByInterruptException}). Had the store written its
 * journal on the caller's thread, one application thread interrupted while recording an outcome
 * (a cancelled task, an executor shutting down, a timeout) would have closed the journal for every
 * thread and left the store refusing all writes until reopened; interrupted inside a checkpoint it
 * would have failed a directory fsync after a rename. So the store does all its disk I/O on
 * threads it owns and nobody else can reach:
 * <ul>
 *   <li>the journal's I/O thread writes and fsyncs every entry and rewrites the journal when a
 *       checkpoint trims it; writers only copy their entry into a buffer under a lock;</li>
 *   <li>the checkpointer thread runs every checkpoint, whoever asked for it: {@link #checkpoint()},
 *       {@link #quiesced}, {@link #close()}, and the size and time triggers. It also opens the store
 *       (creating the layout, taking the lock, reading the journal and, when it has changes to
 *       replay, the files) and, at close, releases the journal and the lock (a read-only store uses
 *       a short-lived thread for its load);</li>
 *   <li>a first-use load reads the item files on a short-lived thread of its own, and a checkpoint
 *       of several files encodes them on another (which does no I/O). Listing the agent folders
 *       before the load is a directory read on the caller's thread: no channel an interrupt could
 *       close.</li>
 * </ul>
 * A caller that has to wait (a {@code SYNC} write for its fsync, {@link #flush()}, a checkpoint,
 * open, close) waits without reacting to interrupts and, if it was interrupted before or during the
 * wait, returns with its interrupt flag set again, so its own code still notices at its next
 * blocking call. The store's operation is never cut short: a caller that returns normally got
 * exactly the guarantee of its {@link Durability}, interrupted or not, and a waiting caller can be
 * held up at most as long as the fsync or checkpoint it waits for. Nothing about acknowledgement
 * changes: {@code SYNC} returns after the group fsync that covers the write, {@code BATCH} returns at
 * once with the fsync following within about one fsync time, {@code NONE} returns at once and is
 * fsynced on {@link #flush()}, checkpoint or close.
 *
 * <h2>Failed steps leave memory and disk in agreement</h2>
 * A write is applied to memory when its journal entry is buffered; if the journal then fails (a
 * {@code SYNC} caller gets the error), the write stays visible to this session's reads although it
 * may not be on disk, and the store refuses every further write and checkpoint until reopened, so
 * no later change and no item file comes to depend on it. A failed checkpoint keeps every change in
 * the journal and the next checkpoint retries.
 *
 * <h2>Processes and threads</h2>
 * One writer process per tree: an exclusive lock on {@code global/aml.lock} (holder pid in the
 * file and in the error). Read-only stores take no lock and never write. All methods are
 * thread-safe; {@link #update} is an optimistic read-modify-write that retries on conflict.
 *
 * <h2>Parts, and why this class is still over 600 lines</h2>
 * Loading the tree is {@code TreeLoader}; the tree in memory and its state lock {@code TreeState};
 * checkpoints, their thread and the file states they guard {@code Checkpointer}; the resolved
 * options {@code FileStoreOptions}; the journal, the lock and the tree's files their own classes in
 * {@code dev.aml.store.internal}. What stays here is the public face and the write path: the SPI
 * methods, the optimistic {@link #update}, the write gate that {@link #quiesced} closes, open and
 * close (about 410 lines), this essay (about 90) and the public {@link Builder}, 140 lines of
 * documented set-once options that users call by name and so stay on this class.
 */
public final class FileMemoryStore implements MemoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileMemoryStore.class);

    /** Default journal size that triggers a background checkpoint: 64 MiB. */
    public static final long DEFAULT_CHECKPOINT_BYTES = 64L * 1024 * 1024;
    /** Default time after which a background checkpoint runs if anything changed: 5 minutes. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(5);
    /** Name of the journal file inside {@code global/}. */
    public static final String JOURNAL_FILE = "aml.journal";
    /** Name of the lock file inside {@code global/}. */
    public static final String LOCK_FILE = "aml.lock";

    private static final int OPTIMISTIC_TRIES = 8;

    private final Path root;
    private final FileStoreOptions options;
    private final LoomJson json;
    private final StoreFiles files;
    private final TreeLoader loader;
    /** Writes hold it shared, {@link #quiesced} exclusively: no write lands while it runs. */
    private final ReentrantReadWriteLock writeGate = new ReentrantReadWriteLock();
    private final TreeState state;
    private final Checkpointer checkpoints;
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final InProcessMaintenanceLock maintenance = new InProcessMaintenanceLock();
    private final @Nullable CorruptDataException journalProblem;
    private final @Nullable TreeLock treeLock;
    private final @Nullable JournalWriter journal;
    private volatile boolean closed;

    private FileMemoryStore(Path root, FileStoreOptions options) {
        this.root = root;
        this.options = options;
        this.json = LoomJson.of(options.timestampStyle(), options.zone());
        this.loader = new TreeLoader(root, json, options.readOnly(), options.fileOps());
        Instant openedAt = options.clock().instant();
        // every disk operation of the store runs on a thread it owns (see "Interrupts" above); for a
        // read-write store that is the checkpointer, for a read-only one a thread that lives for the load
        AtomicReference<@Nullable Thread> owner = new AtomicReference<>();
        ScheduledExecutorService exec = Checkpointer.ownedExecutor(root, options.readOnly(), owner);
        Opened opened;
        try {
            opened = Uninterruptibly.call(exec, this::openOnOwnedThread);
        } catch (IOException e) {
            exec.shutdown();
            throw new UncheckedIOException("Cannot open the memory tree " + root + ": " + e, e);
        } catch (RuntimeException | Error e) {
            exec.shutdown();
            throw e;
        }
        Loaded loaded = opened.loaded;
        if (loaded != null) {
            this.state = new TreeState(root, loaded);
        } else {
            TreeLoader.JournalState pending = Objects.requireNonNull(opened.journal); // read-write, nothing to replay
            this.state = TreeState.deferred(root, pending.lastSeq(), () -> loadDeferred(pending),
                    this::listAgentFolders);
        }
        this.journalProblem = loaded != null ? loaded.journalProblem() : null;
        this.treeLock = opened.lock;
        this.journal = opened.writer;
        this.checkpoints = new Checkpointer(root, options, json, loader, state, loaded != null && loaded.pinned(),
                opened.writer, opened.writer != null ? exec : null, owner, () -> closed, openedAt);
        this.files = new TreeStoreFiles(root, this, checkpoints, state::loaded);
        if (opened.writer != null) {
            checkpoints.start();
        } else {
            exec.shutdown();
        }
    }

    /**
     * What opening produced: the lock and the journal writer of a read-write store, what the journal
     * said, and the loaded tree, or null when its item files are read on first use.
     */
    private record Opened(@Nullable TreeLock lock, @Nullable JournalWriter writer,
            TreeLoader.@Nullable JournalState journal,
            @Nullable Loaded loaded) {
    }

    private Opened openOnOwnedThread() throws IOException {
        TreeLock lock = null;
        JournalWriter writer = null;
        try {
            if (options.readOnly()) {
                // a reader races with the writer's checkpoints: load() retries until it sees one state
                Loaded loaded = loader.load();
                return new Opened(null, null, null, loaded);
            }
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new InvalidInputException("The memory root " + root + " is a file, not a directory");
            }
            for (Path dir : List.of(root, root.resolve("global"), root.resolve("config"),
                    root.resolve("monitoring"))) {
                TreeFiles.createPrivateDirectories(dir);
            }
            lock = TreeLock.acquire(root.resolve("global").resolve(LOCK_FILE), options.lockTimeout(),
                    options.clock());
            TreeLoader.JournalState journalState = loader.readJournal();
            if (journalState.problem() != null) {
                throw journalState.problem();
            }
            // with nothing to replay the item files hold the whole state: they are read on first use
            Loaded loaded = journalState.needsReplay() ? loader.loadTree(journalState) : null;
            writer = JournalWriter.open(loader.journalFile(), journalState.validLength(), options.durability(),
                    options.fileOps());
            return new Opened(lock, writer, journalState, loaded);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(writer, lock);
            throw e;
        }
    }

    private List<AgentId> listAgentFolders() {
        try {
            return loader.listAgents();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the memory tree " + root + ": " + e + ". Nothing was"
                    + " changed; check that the folder exists and is readable by this user, then retry.", e);
        }
    }

    /**
     * Reads the item files of a deferred tree on a thread of its own (see "Interrupts" above), which
     * takes no lock of the store, and waits for it without reacting to interrupts.
     */
    private Loaded loadDeferred(TreeLoader.JournalState journalState) {
        ScheduledExecutorService exec = Checkpointer.ownedExecutor(root, true, new AtomicReference<>());
        try {
            return Uninterruptibly.call(exec, () -> loader.loadTree(journalState));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the memory tree " + root + ": " + e + ". Nothing was"
                    + " changed and the next read tries again; check that the folder is readable by this user.", e);
        } finally {
            exec.shutdown();
        }
    }

    /**
     * Opens (creating if needed) a tree read-write with the defaults: {@link Durability#BATCH},
     * plain JSON, {@link TimestampStyle#UTC_Z}, no lock wait.
     *
     * @param root the memory root, e.g. {@code .loom/memory}
     * @return the open store; close it
     * @throws ConcurrentOperationException if another process writes the tree
     * @throws CorruptDataException if the journal is damaged before its tail
     */
    public static FileMemoryStore open(Path root) {
        return builder(root).open();
    }

    /**
     * @param root the memory root
     * @return a builder for a store on that root
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    // ------------------------------------------------------------------------------------------ reads

    @Override
    public Set<AgentId> agents() {
        ensureOpen();
        return state.agents();
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        ensureOpen();
        state.checkReadable(agent);
        return state.items(agent, kind);
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        ensureOpen();
        state.checkReadable(agent);
        return state.find(agent, kind, id);
    }

    @Override
    public long version(AgentId agent) {
        return state.version(agent);
    }

    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return state.unreadableAgents();
    }

    /**
     * @return the damage found in the journal when this store was opened read-only despite it
     *     (the store then shows the state up to the damage); empty when the journal was sound
     */
    public Optional<CorruptDataException> journalProblem() {
        return Optional.ofNullable(journalProblem);
    }

    /** @return the durability of writes */
    public Durability durability() {
        return options.durability();
    }

    /** @return the codec item files are written with */
    public CompressionCodec codec() {
        return options.codec();
    }

    /** @return the timestamp style item files are written with */
    public TimestampStyle timestampStyle() {
        return options.timestampStyle();
    }

    /** @return the journal's current size in bytes (0 for read-only stores) */
    public long journalSize() {
        return journal == null ? 0 : journal.size();
    }

    @Override
    public boolean readOnly() {
        return options.readOnly();
    }

    /**
     * @return the tree's files: its layout, in-place rewrites the store adopts (so its next checkpoint
     *     does not take them for another program's edit) and consistent copies
     */
    @Override
    public Optional<StoreFiles> files() {
        return Optional.of(files);
    }

    @Override
    public String describe() {
        return "file tree " + root + (options.readOnly() ? " (read-only)" : "");
    }

    // ------------------------------------------------------------------------------------------ writes

    @Override
    public void apply(List<Change> changes) {
        List<Change> copy = List.copyOf(changes);
        ensureWritable();
        if (copy.isEmpty()) {
            return;
        }
        for (Change c : copy) {
            state.checkReadable(c.agent());
        }
        // encoded outside the lock; a replacement that keeps some of a list's items is written as the
        // positions it drops from that list, checked again under the lock (JournalFormat, retain)
        JournalFormat.PendingBatch body = JournalFormat.batch(copy, state::items);
        long position = locked(() -> append(copy, body));
        afterWrite(copy, position);
    }

    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        Objects.requireNonNull(fn, "fn");
        ensureWritable();
        state.checkReadable(agent);
        for (int attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
            ensureOpen();
            MemoryItem current = state.find(agent, kind, id).orElseThrow(() -> notFound(agent, kind, id));
            MemoryItem next = checkedUpdate(current, fn, kind, id);
            List<Change> change = List.of(Change.upsert(agent, next));
            JournalFormat.PendingBatch body = JournalFormat.batch(change);
            // appends only if no other write replaced the item meanwhile; -1 to retry
            long position = locked(() -> {
                Optional<MemoryItem> now = state.find(agent, kind, id);
                if (now.isEmpty()) {
                    throw notFound(agent, kind, id);
                }
                return now.get() != current ? -1L : append(change, body);
            });
            if (position >= 0) {
                afterWrite(change, position);
                return next;
            }
        }
        // heavy contention on one item: compute under the lock
        Written written = locked(() -> {
            MemoryItem current = state.find(agent, kind, id).orElseThrow(() -> notFound(agent, kind, id));
            List<Change> change = List.of(Change.upsert(agent, checkedUpdate(current, fn, kind, id)));
            return new Written(change, append(change, JournalFormat.batch(change)));
        });
        afterWrite(written.changes, written.position);
        return ((Change.Upsert) written.changes.get(0)).item();
    }

    /** Changes appended to the journal, and the position a {@code SYNC} caller waits for. */
    private record Written(List<Change> changes, long position) {
    }

    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        List<Change> delete = List.of(Change.delete(agent, kind, id));
        ensureWritable();
        state.checkReadable(agent);
        JournalFormat.PendingBatch body = JournalFormat.batch(delete);
        // the check and the append are one step, so of two concurrent deletes exactly one removes the item
        long position = locked(() -> state.find(agent, kind, id).isPresent() ? append(delete, body) : -1L);
        if (position < 0) {
            return false;
        }
        afterWrite(delete, position);
        return true;
    }

    private static ItemNotFoundException notFound(AgentId agent, ItemKind kind, String id) {
        return new ItemNotFoundException("No " + kind.label() + " with id '" + id + "' for agent '" + agent + "'");
    }

    private static MemoryItem checkedUpdate(MemoryItem current, UnaryOperator<MemoryItem> fn, ItemKind kind,
            String id) {
        MemoryItem next = fn.apply(current);
        if (next == null || next.kind() != kind || !next.id().equals(id)) {
            throw new IllegalArgumentException("An update of " + kind.label() + " '" + id
                    + "' must return an item of the same kind and id, got "
                    + (next == null ? "null" : next.kind().label() + " '" + next.id() + "'"));
        }
        return next;
    }

    /**
     * Runs a write step holding the write gate shared and the state lock exclusively, after checking
     * that the store is still open and writable.
     */
    private <T> T locked(Supplier<T> step) {
        writeGate.readLock().lock();
        try {
            return state.write(() -> {
                ensureWritable();
                return step.get();
            });
        } finally {
            writeGate.readLock().unlock();
        }
    }

    /** Journal first, then memory: if the journal refuses, nothing changed. Caller is inside {@link #locked}. */
    private long append(List<Change> changes, JournalFormat.PendingBatch body) {
        return state.append(Objects.requireNonNull(journal), changes, body);
    }

    private void afterWrite(List<Change> changes, long position) {
        if (options.durability() == Durability.SYNC) {
            Objects.requireNonNull(journal).sync(position, true);
        }
        for (Consumer<List<Change>> l : listeners) {
            l.accept(changes);
        }
        checkpoints.afterWrite();
    }

    @Override
    public void addChangeListener(Consumer<List<Change>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void flush() {
        ensureOpen();
        if (journal != null) {
            journal.flush();
        }
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    @Override
    public void checkpoint() {
        ensureOpen();
        checkpoints.checkpoint();
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        ensureOpen();
        writeGate.writeLock().lock();
        try {
            checkpoints.checkpoint();
            return action.get();
        } finally {
            writeGate.writeLock().unlock();
        }
    }

    @Override
    public MaintenanceLock lockMaintenance(String operation) {
        ensureOpen();
        return maintenance.acquire(operation, root.toString());
    }

    /**
     * Checkpoints (read-write stores), flushes, stops background work and releases the tree lock.
     * Idempotent. If the final checkpoint fails (for instance because another program changed an
     * item file), everything is still released and the failure is rethrown; the journal keeps
     * every change for the next open.
     */
    @Override
    public void close() {
        writeGate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeGate.writeLock().unlock();
        }
        // a first-use load still running finishes before the lock goes, and none starts afterwards
        state.refuseLoads();
        // the final checkpoint and the release of journal and lock run on the checkpointer thread, so an
        // interrupted caller neither breaks them nor gives up waiting for them (its flag stays set)
        checkpoints.close(() -> closeQuietly(journal, treeLock));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The store on " + root + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (options.readOnly()) {
            throw new IllegalStateException("The store on " + root + " was opened read-only");
        }
    }

    private static void closeQuietly(@Nullable JournalWriter writer, @Nullable TreeLock lock) {
        if (writer != null) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the journal failed: {}", e.getMessage());
            }
        }
        if (lock != null) {
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "FileMemoryStore[" + describe() + ", " + options.durability() + "]";
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Options of a {@link FileMemoryStore}; each may be set once.
     */
    public static final class Builder {
        private final Path root;
        private @Nullable Durability durability;
        private @Nullable CompressionCodec codec;
        private @Nullable TimestampStyle timestampStyle;
        private @Nullable ZoneId zone;
        private @Nullable Boolean readOnly;
        private @Nullable Duration lockTimeout;
        private @Nullable Long checkpointBytes;
        private @Nullable Duration checkpointInterval;
        private @Nullable Clock clock;
        private @Nullable FileOps fileOps;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * @param value when writes become durable (default {@link Durability#BATCH})
         * @return this builder
         */
        public Builder durability(Durability value) {
            SetOnce.requireUnset(durability, "durability");
            durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        /**
         * @param value how item files are compressed at checkpoints (default {@link CompressionCodec#none()},
         *     plain JSON that every Loom tool reads); reading detects every codec
         * @return this builder
         */
        public Builder codec(CompressionCodec value) {
            SetOnce.requireUnset(codec, "codec");
            codec = Objects.requireNonNull(value, "codec");
            return this;
        }

        /**
         * @param value how timestamps are written (default {@link TimestampStyle#UTC_Z})
         * @return this builder
         */
        public Builder timestampStyle(TimestampStyle value) {
            SetOnce.requireUnset(timestampStyle, "timestampStyle");
            timestampStyle = Objects.requireNonNull(value, "timestampStyle");
            return this;
        }

        /**
         * @param value the zone of naive timestamps (default: the system zone, as Loom's Python toolkit writes them)
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            SetOnce.requireUnset(zone, "zone");
            zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /**
         * @param value whether to open read-only: no lock, no writes, nothing on disk changes (default false)
         * @return this builder
         */
        public Builder readOnly(boolean value) {
            SetOnce.requireUnset(readOnly, "readOnly");
            readOnly = value;
            return this;
        }

        /**
         * @param value how long to wait for another writer to release the tree (default zero: fail at once)
         * @return this builder
         */
        public Builder lockTimeout(Duration value) {
            SetOnce.requireUnset(lockTimeout, "lockTimeout");
            lockTimeout = Objects.requireNonNull(value, "lockTimeout");
            return this;
        }

        /**
         * @param value journal size in bytes that triggers a background checkpoint (default
         *     {@value FileMemoryStore#DEFAULT_CHECKPOINT_BYTES})
         * @return this builder
         */
        public Builder checkpointBytes(long value) {
            SetOnce.requireUnset(checkpointBytes, "checkpointBytes");
            checkpointBytes = value;
            return this;
        }

        /**
         * @param value time after which a background checkpoint runs when anything changed (default 5 minutes)
         * @return this builder
         */
        public Builder checkpointInterval(Duration value) {
            SetOnce.requireUnset(checkpointInterval, "checkpointInterval");
            checkpointInterval = Objects.requireNonNull(value, "checkpointInterval");
            return this;
        }

        /**
         * @param value the clock for checkpoint intervals and lock waits (default the system UTC clock)
         * @return this builder
         */
        public Builder clock(Clock value) {
            SetOnce.requireUnset(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Test seam, deliberately not public: the file-system steps of checkpoints and journal trims
         * (tests make one of them fail).
         *
         * @param value the file-system steps (default {@link FileOps#SYSTEM})
         * @return this builder
         */
        Builder fileOps(FileOps value) {
            SetOnce.requireUnset(fileOps, "fileOps");
            fileOps = Objects.requireNonNull(value, "fileOps");
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws IllegalArgumentException if an option is out of range
         * @throws ConcurrentOperationException if another process writes the tree (read-write only)
         * @throws CorruptDataException if the journal is damaged before its tail (read-write only)
         */
        public FileMemoryStore open() {
            FileStoreOptions o = FileStoreOptions.resolve(durability, codec, timestampStyle, zone, readOnly,
                    lockTimeout, checkpointBytes, checkpointInterval, clock, fileOps);
            return new FileMemoryStore(root.toAbsolutePath().normalize(), o);
        }
    }
}
