package dev.aml.store;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.CorruptDataException.PositionKind;
import dev.aml.core.Durability;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.InProcessMaintenanceLock;
import dev.aml.core.internal.ItemTable;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.loom.TimestampStyle;
import dev.aml.store.internal.FileOps;
import dev.aml.store.internal.JournalFormat;
import dev.aml.store.internal.JournalWriter;
import dev.aml.store.internal.TreeFiles;
import dev.aml.store.internal.TreeFiles.FileState;
import dev.aml.store.internal.TreeLock;
import dev.aml.store.internal.Uninterruptibly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
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
 * A checkpoint writes only the item files that changed, each to a temp file in the same directory
 * with fsync; appends a CHECKPOINT journal entry naming them; renames them over the originals and
 * fsyncs the directories; then trims the journal to the entries written after the checkpoint's
 * snapshot. A crash at any point leaves either the old files plus the journal or the new files plus
 * a journal whose replay skips what the files already hold; recovery rolls pending renames forward.
 * Checkpoints run on {@link #checkpoint()}, on {@link #close()}, inside {@link #quiesced}, and in the
 * background when the journal exceeds {@code checkpointBytes} or {@code checkpointInterval} has
 * passed; after a failed checkpoint these background triggers wait 1 s, 2 s, 4 s, … (at most 60 s)
 * before retrying. After {@code close()} the JSON files alone hold the truth.
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
 * replacements). Reads within a session do not see external edits.
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
 *       (creating the layout, taking the lock, reading the files, replaying the journal) and, at
 *       close, releases the journal and the lock (a read-only store uses a short-lived thread for
 *       its load).</li>
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
 * no later change and no item file comes to depend on it.
 * Once a checkpoint's journal record is appended, the temp files it names are never deleted by that
 * checkpoint (recovery would roll them forward), only by a later checkpoint whose record supersedes
 * it. Files a failed checkpoint did rename are recorded as AML's own writes, so the next checkpoint
 * does not mistake them for another program's edit. Every failed checkpoint marks its files dirty
 * again; the journal keeps their changes and the next checkpoint retries.
 *
 * <h2>Processes and threads</h2>
 * One writer process per tree: an exclusive lock on {@code global/aml.lock} (holder pid in the
 * file and in the error). Read-only stores take no lock and never write. All methods are
 * thread-safe; {@link #update} is an optimistic read-modify-write that retries on conflict.
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

    private static final String TMP_SUFFIX = ".aml-tmp";
    private static final int OPTIMISTIC_TRIES = 8;
    private static final long MAX_RETRY_DELAY_SECONDS = 60;

    private final Path root;
    private final Options options;
    private final LoomJson json;
    private final StoreFiles files;
    private final ReentrantReadWriteLock writeGate = new ReentrantReadWriteLock();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final ItemTable table;
    private final Map<AgentId, CorruptDataException> unreadable;
    private final Set<ListKey> dirty;
    private final Map<ListKey, FileState> fileStates;
    private final Map<ListKey, Path> fileNames;
    /** Temp files of a failed checkpoint that its journal record names; checkpointer thread only. */
    private final Set<Path> strandedTemps = new LinkedHashSet<>();
    /** Numbers the checkpoint attempts, for unique temp file names; checkpointer thread only. */
    private long checkpointAttempts;
    /** Failed checkpoints in a row; checkpointer thread only. */
    private int consecutiveFailures;
    /** Background checkpoints wait until then after a failure. */
    private volatile Instant backgroundRetryAt = Instant.MIN;
    private final Map<AgentId, Long> versions = new ConcurrentHashMap<>();
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final InProcessMaintenanceLock maintenance = new InProcessMaintenanceLock();
    private final AtomicBoolean checkpointQueued = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<@Nullable Thread> checkpointer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final @Nullable CorruptDataException journalProblem;
    private final @Nullable TreeLock treeLock;
    private final @Nullable JournalWriter journal;
    private final @Nullable ScheduledExecutorService background;
    private final boolean journalPinned;
    private long lastSeq;
    private long checkpointedSeq;
    private volatile Instant lastCheckpoint;
    private volatile boolean closed;

    /** Identifies one item file: an agent and a kind. */
    private record ListKey(AgentId agent, ItemKind kind) {
    }

    /** What loading the tree produced. */
    private record Loaded(ItemTable table, Map<AgentId, CorruptDataException> unreadable, Set<ListKey> dirty,
            Map<ListKey, FileState> fileStates, Map<ListKey, Path> fileNames, long lastSeq, long checkpointedSeq,
            boolean pinned, long validLength, @Nullable CorruptDataException journalProblem) {
    }

    private FileMemoryStore(Path root, Options options) {
        this.root = root;
        this.options = options;
        this.json = LoomJson.of(options.timestampStyle, options.zone);
        this.files = StoreFiles.of(root, this);
        this.lastCheckpoint = options.clock.instant();
        // every disk operation of the store runs on a thread it owns (see "Interrupts" above); for a
        // read-write store that is the checkpointer, for a read-only one a thread that lives for the load
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aml-" + (options.readOnly ? "loader " : "checkpointer ") + root);
            t.setDaemon(true);
            checkpointer.set(t);
            return t;
        });
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
        this.table = loaded.table;
        this.unreadable = loaded.unreadable;
        this.dirty = loaded.dirty;
        this.fileStates = loaded.fileStates;
        this.fileNames = loaded.fileNames;
        this.lastSeq = loaded.lastSeq;
        this.checkpointedSeq = loaded.checkpointedSeq;
        this.journalPinned = loaded.pinned;
        this.journalProblem = loaded.journalProblem;
        this.treeLock = opened.lock;
        this.journal = opened.writer;
        if (opened.writer != null) {
            long period = Math.max(50, Math.min(1000, options.checkpointInterval.toMillis()));
            exec.scheduleWithFixedDelay(this::timedCheckpoint, period, period, TimeUnit.MILLISECONDS);
            this.background = exec;
        } else {
            exec.shutdown();
            this.background = null;
        }
    }

    /** What opening produced: the lock and the journal writer of a read-write store, and the loaded tree. */
    private record Opened(@Nullable TreeLock lock, @Nullable JournalWriter writer, Loaded loaded) {
    }

    private Opened openOnOwnedThread() throws IOException {
        TreeLock lock = null;
        JournalWriter writer = null;
        try {
            if (!options.readOnly) {
                if (Files.exists(root) && !Files.isDirectory(root)) {
                    throw new InvalidInputException("The memory root " + root + " is a file, not a directory");
                }
                for (Path dir : List.of(root, root.resolve("global"), root.resolve("config"),
                        root.resolve("monitoring"))) {
                    TreeFiles.createPrivateDirectories(dir);
                }
                lock = TreeLock.acquire(root.resolve("global").resolve(LOCK_FILE), options.lockTimeout,
                        options.clock);
            }
            Loaded loaded = load();
            if (!options.readOnly && loaded.journalProblem != null) {
                throw loaded.journalProblem;
            }
            if (!options.readOnly) {
                writer = JournalWriter.open(journalFile(), loaded.validLength, options.durability, options.fileOps);
            }
            return new Opened(lock, writer, loaded);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(writer, lock);
            throw e;
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

    // ------------------------------------------------------------------------------------------ loading

    private Path journalFile() {
        return root.resolve("global").resolve(JOURNAL_FILE);
    }

    private Loaded load() throws IOException {
        for (int attempt = 0; ; attempt++) {
            Object before = journalIdentity();
            Loaded loaded = loadOnce();
            // a read-only reader may race with the writer's journal trim; retry for a consistent view
            if (!options.readOnly || attempt >= 4 || Objects.equals(before, journalIdentity())) {
                return loaded;
            }
        }
    }

    private @Nullable Object journalIdentity() throws IOException {
        FileState s = FileState.of(journalFile());
        return s.exists() ? s.key() != null ? s.key() : s.modified() : null;
    }

    private Loaded loadOnce() throws IOException {
        Path jf = journalFile();
        byte[] journalBytes = JournalWriter.readIfExists(jf);
        JournalFormat.Scan scan = JournalFormat.scan(journalBytes);
        CorruptDataException problem = null;
        long validLength = scan.validLength();
        if (scan.corruptAt() >= 0) {
            problem = new CorruptDataException("The journal " + jf + " is damaged at byte " + scan.corruptAt()
                    + (scan.corruptAt() == 0 ? " (not an AML journal header)" : " and valid entries follow the damage")
                    + ", so replaying it could lose acknowledged writes. Nothing was changed and the store was not "
                    + "opened for writing. Open it read-only (FileMemoryStore.builder(root).readOnly(true)) to inspect "
                    + "and back up the tree, then move the journal aside to continue without its later entries.",
                    jf, scan.corruptAt(), PositionKind.BYTE_OFFSET, null);
            LOG.warn(problem.getMessage());
        } else if (scan.tornBytes() > 0) {
            LOG.warn("Journal {}: dropping a torn tail of {} bytes at byte {} (a write interrupted by a crash; it was "
                    + "never acknowledged as durable)", jf, scan.tornBytes(), scan.validLength());
        }
        List<JournalFormat.Entry> entries = new ArrayList<>();
        for (JournalFormat.RawEntry raw : scan.entries()) {
            try {
                entries.add(JournalFormat.decode(raw.payload(), raw.offset(), jf));
            } catch (CorruptDataException e) {
                problem = e;
                validLength = raw.offset();
                break;
            }
        }
        JournalFormat.Checkpoint last = null;
        for (JournalFormat.Entry e : entries) {
            if (e instanceof JournalFormat.Checkpoint c && (last == null || c.seq() >= last.seq())) {
                last = c;
            }
        }
        long checkpointSeq = last == null ? 0 : last.seq();
        Set<String> excluded = last == null ? Set.of() : last.excludedAgents();
        Map<Path, Path> readInstead = new HashMap<>();
        if (last != null) {
            for (JournalFormat.Rename r : last.renames()) {
                Path tmp = resolveInside(r.tmp());
                Path target = resolveInside(r.target());
                if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    if (options.readOnly) {
                        readInstead.put(target, tmp);
                    } else {
                        LOG.info("Completing an interrupted checkpoint: {} -> {}", tmp, target);
                        options.fileOps.move(tmp, target);
                        options.fileOps.fsyncDirectory(FileOps.directoryOf(target));
                    }
                }
            }
        }

        ItemTable t = new ItemTable();
        Map<AgentId, CorruptDataException> bad = new TreeMap<>();
        Map<ListKey, FileState> states = new HashMap<>();
        Map<ListKey, Path> names = new HashMap<>();
        if (Files.isDirectory(root)) {
            // agents are independent: parse their files in parallel, then assemble in name order
            List<AgentLoad> loads;
            try {
                loads = listAgents().parallelStream().map(a -> loadAgent(a, readInstead)).toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (AgentLoad load : loads) {
                t.addAgent(load.agent);
                for (ItemKind kind : ItemKind.values()) {
                    ListKey key = new ListKey(load.agent, kind);
                    names.put(key, load.files.get(kind));
                    states.put(key, load.states.get(kind));
                    ItemTable.Indexed items = load.items.get(kind);
                    if (load.problem == null && items != null) {
                        t.load(load.agent, kind, items);
                    }
                }
                if (load.problem != null) {
                    bad.put(load.agent, load.problem);
                    LOG.warn("Agent '{}' is unreadable and will not be read or written: {}", load.agent,
                            load.problem.getMessage());
                }
            }
        }

        Set<ListKey> changed = new LinkedHashSet<>();
        long seq = checkpointSeq;
        boolean pinned = false;
        for (JournalFormat.Entry e : entries) {
            seq = Math.max(seq, e.seq());
            if (!(e instanceof JournalFormat.Batch b)) {
                continue;
            }
            for (Change c : b.changes()) {
                if (b.seq() <= checkpointSeq && !excluded.contains(c.agent().name())) {
                    continue;
                }
                if (bad.containsKey(c.agent())) {
                    pinned = true;
                    continue;
                }
                t.apply(c);
                changed.add(new ListKey(c.agent(), c.kind()));
            }
        }
        return new Loaded(t, bad, changed, states, names, seq, checkpointSeq, pinned, validLength, problem);
    }

    /** The files of one agent as read at open. */
    private record AgentLoad(AgentId agent, Map<ItemKind, Path> files, Map<ItemKind, FileState> states,
            Map<ItemKind, ItemTable.Indexed> items, @Nullable CorruptDataException problem) {
    }

    private AgentLoad loadAgent(AgentId agent, Map<Path, Path> readInstead) {
        Path dir = root.resolve(agent.name());
        Map<ItemKind, Path> files = new java.util.EnumMap<>(ItemKind.class);
        Map<ItemKind, FileState> states = new java.util.EnumMap<>(ItemKind.class);
        Map<ItemKind, ItemTable.Indexed> items = new java.util.EnumMap<>(ItemKind.class);
        CorruptDataException problem = null;
        try {
            if (!options.readOnly) {
                deleteStaleTemps(dir);
            }
            for (ItemKind kind : ItemKind.values()) {
                Path file = dir.resolve(kind.fileName());
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.exists(dir.resolve(kind.fileName() + ".gz"), LinkOption.NOFOLLOW_LINKS)) {
                    file = dir.resolve(kind.fileName() + ".gz");
                }
                files.put(kind, file);
                states.put(kind, FileState.ABSENT);
                if (problem != null) {
                    states.put(kind, FileState.of(file));
                    continue;
                }
                Path pending = readInstead.get(file);
                try {
                    byte[] data = null;
                    FileState state = FileState.ABSENT;
                    if (pending != null) {
                        // a read-only reader during the writer's checkpoint: the new content is in the temp
                        // file until the writer renames it over the item file
                        state = FileState.of(pending);
                        data = readOrNull(pending);
                    }
                    if (data == null) {
                        state = FileState.of(file);
                        data = state.exists() ? readOrNull(file) : null;
                    }
                    states.put(kind, state);
                    if (data != null) {
                        // indexed here, in parallel with the other agents, not while assembling the table
                        items.put(kind, ItemTable.index(json.read(data, kind, file.toString())));
                    }
                } catch (CorruptDataException e) {
                    problem = new CorruptDataException(e.getMessage(), file, e.position(), e.positionKind(), e);
                } catch (IOException | UncheckedIOException e) {
                    problem = new CorruptDataException("Cannot read " + file + " (" + e + "); agent '" + agent
                            + "' is unavailable until it can be read. The file was left untouched.", file, -1,
                            PositionKind.NONE, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AgentLoad(agent, files, states, items, problem);
    }

    /** @return the file's bytes, or {@code null} if it does not exist (any more) */
    private static byte @Nullable [] readOrNull(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private List<AgentId> listAgents() throws IOException {
        List<AgentId> agents = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (AgentId.isValid(name)) {
                    agents.add(AgentId.of(name));
                } else if (!AgentId.RESERVED.contains(name) && !name.startsWith(".")) {
                    LOG.debug("Ignoring folder {}: not a valid agent name", child);
                }
            }
        }
        Collections.sort(agents);
        return agents;
    }

    private void deleteStaleTemps(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + "*" + TMP_SUFFIX)) {
            for (Path f : files) {
                LOG.info("Removing a temp file left by an interrupted checkpoint: {}", f);
                Files.deleteIfExists(f);
            }
        }
    }

    private Path resolveInside(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new CorruptDataException("The journal names a path outside the memory root: " + relative,
                    journalFile(), -1, PositionKind.NONE, null);
        }
        return p;
    }

    private String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    // ------------------------------------------------------------------------------------------ reads

    @Override
    public Set<AgentId> agents() {
        return read(() -> Collections.unmodifiableSet(new TreeSet<>(table.agents())));
    }

    @Override
    public List<MemoryItem> items(AgentId agent, ItemKind kind) {
        checkReadable(agent);
        return read(() -> table.items(agent, kind));
    }

    @Override
    public Optional<MemoryItem> find(AgentId agent, ItemKind kind, String id) {
        checkReadable(agent);
        return read(() -> table.find(agent, kind, id));
    }

    @Override
    public long version(AgentId agent) {
        return versions.getOrDefault(agent, 0L);
    }

    @Override
    public Map<AgentId, CorruptDataException> unreadableAgents() {
        return Collections.unmodifiableMap(new TreeMap<>(unreadable));
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
        return options.durability;
    }

    /** @return the codec item files are written with */
    public CompressionCodec codec() {
        return options.codec;
    }

    /** @return the timestamp style item files are written with */
    public TimestampStyle timestampStyle() {
        return options.timestampStyle;
    }

    /** @return the journal's current size in bytes (0 for read-only stores) */
    public long journalSize() {
        return journal == null ? 0 : journal.size();
    }

    @Override
    public boolean readOnly() {
        return options.readOnly;
    }

    @Override
    public Optional<Path> root() {
        return Optional.of(root);
    }

    /** @return the tree's files: its layout, and in-place rewrites through {@link #rewritingFilesInPlace} */
    @Override
    public Optional<StoreFiles> files() {
        return Optional.of(files);
    }

    @Override
    public String describe() {
        return "file tree " + root + (options.readOnly ? " (read-only)" : "");
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
            checkReadable(c.agent());
        }
        byte[] body = JournalFormat.batchBody(copy);
        long position = commit(copy, body);
        afterWrite(copy, position);
    }

    @Override
    public MemoryItem update(AgentId agent, ItemKind kind, String id, UnaryOperator<MemoryItem> fn) {
        Objects.requireNonNull(fn, "fn");
        ensureWritable();
        checkReadable(agent);
        for (int attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
            MemoryItem current = read(() -> table.find(agent, kind, id)).orElseThrow(() -> notFound(agent, kind, id));
            MemoryItem next = checkedUpdate(current, fn, kind, id);
            List<Change> change = List.of(Change.upsert(agent, next));
            byte[] body = JournalFormat.batchBody(change);
            long position = commitIf(change, body, agent, kind, id, current);
            if (position >= 0) {
                afterWrite(change, position);
                return next;
            }
        }
        // heavy contention on one item: compute under the lock
        List<Change> change;
        long position;
        MemoryItem next;
        writeGate.readLock().lock();
        try {
            stateLock.writeLock().lock();
            try {
                ensureWritable();
                MemoryItem current = table.find(agent, kind, id).orElseThrow(() -> notFound(agent, kind, id));
                next = checkedUpdate(current, fn, kind, id);
                change = List.of(Change.upsert(agent, next));
                position = append(change, JournalFormat.batchBody(change));
            } finally {
                stateLock.writeLock().unlock();
            }
        } finally {
            writeGate.readLock().unlock();
        }
        afterWrite(change, position);
        return next;
    }

    @Override
    public boolean delete(AgentId agent, ItemKind kind, String id) {
        List<Change> delete = List.of(Change.delete(agent, kind, id));
        ensureWritable();
        checkReadable(agent);
        long position = commitIfPresent(delete, JournalFormat.batchBody(delete), agent, kind, id);
        if (position < 0) {
            return false;
        }
        afterWrite(delete, position);
        return true;
    }

    /** Appends the changes only if the item exists, under the same locks as every write; -1 if it does not. */
    private long commitIfPresent(List<Change> changes, byte[] body, AgentId agent, ItemKind kind, String id) {
        writeGate.readLock().lock();
        try {
            stateLock.writeLock().lock();
            try {
                ensureWritable();
                return table.find(agent, kind, id).isPresent() ? append(changes, body) : -1;
            } finally {
                stateLock.writeLock().unlock();
            }
        } finally {
            writeGate.readLock().unlock();
        }
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

    private long commit(List<Change> changes, byte[] body) {
        writeGate.readLock().lock();
        try {
            stateLock.writeLock().lock();
            try {
                ensureWritable();
                return append(changes, body);
            } finally {
                stateLock.writeLock().unlock();
            }
        } finally {
            writeGate.readLock().unlock();
        }
    }

    private long commitIf(List<Change> changes, byte[] body, AgentId agent, ItemKind kind, String id,
            MemoryItem expected) {
        writeGate.readLock().lock();
        try {
            stateLock.writeLock().lock();
            try {
                ensureWritable();
                Optional<MemoryItem> now = table.find(agent, kind, id);
                if (now.isEmpty()) {
                    throw notFound(agent, kind, id);
                }
                if (now.get() != expected) {
                    return -1;
                }
                return append(changes, body);
            } finally {
                stateLock.writeLock().unlock();
            }
        } finally {
            writeGate.readLock().unlock();
        }
    }

    /** Journal first, then memory: if the journal refuses, nothing changed. Caller holds the write lock. */
    private long append(List<Change> changes, byte[] body) {
        long seq = lastSeq + 1;
        long position = Objects.requireNonNull(journal).append(JournalFormat.frameBatch(seq, body));
        lastSeq = seq;
        for (Change c : changes) {
            table.apply(c);
            dirty.add(new ListKey(c.agent(), c.kind()));
            versions.merge(c.agent(), 1L, Long::sum);
        }
        return position;
    }

    private void afterWrite(List<Change> changes, long position) {
        if (options.durability == Durability.SYNC) {
            Objects.requireNonNull(journal).sync(position, true);
        }
        for (Consumer<List<Change>> l : listeners) {
            l.accept(changes);
        }
        if (journal != null && journal.size() > options.checkpointBytes) {
            requestCheckpoint();
        }
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
        if (journal == null) {
            return;
        }
        checkpointOnOwnedThread();
    }

    /**
     * Runs a checkpoint on the checkpointer thread and waits for it without reacting to interrupts
     * (an interrupt meanwhile stays set on the calling thread). Read-write stores only.
     */
    private void checkpointOnOwnedThread() {
        ScheduledExecutorService exec = Objects.requireNonNull(background);
        if (Thread.currentThread() == checkpointer.get()) {
            lockedCheckpoint();
            return;
        }
        try {
            Uninterruptibly.call(exec, () -> {
                lockedCheckpoint();
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: checkpoints throw unchecked exceptions only
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("The store on " + root + " is closed", e);
        }
    }

    private void lockedCheckpoint() {
        checkpointLock.lock();
        try {
            doCheckpoint();
        } finally {
            checkpointLock.unlock();
        }
    }

    private void requestCheckpoint() {
        ScheduledExecutorService exec = background;
        if (exec != null && checkpointQueued.compareAndSet(false, true)) {
            try {
                exec.execute(() -> {
                    checkpointQueued.set(false);
                    backgroundCheckpoint();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                checkpointQueued.set(false); // closing
            }
        }
    }

    private void timedCheckpoint() {
        if (Duration.between(lastCheckpoint, options.clock.instant()).compareTo(options.checkpointInterval) >= 0) {
            backgroundCheckpoint();
        }
    }

    private void backgroundCheckpoint() {
        if (closed || options.clock.instant().isBefore(backgroundRetryAt)) {
            return;
        }
        checkpointLock.lock();
        try {
            if (!closed) {
                doCheckpoint();
            }
        } catch (RuntimeException e) {
            LOG.warn("Background checkpoint of {} failed; the journal keeps every change, it will be retried after {}: "
                    + "{}", root, backgroundRetryAt, e.getMessage());
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Checkpoints and keeps the background retry schedule: after a failure (another program's edit, a
     * full disk, a failed journal) the size and time triggers wait 1 s, then 2, 4, … up to 60 s before
     * trying again, instead of rewriting temp files and logging a warning every second. Explicit
     * checkpoints always try. Caller holds {@link #checkpointLock}.
     */
    private void doCheckpoint() {
        try {
            checkpointOnce();
            consecutiveFailures = 0;
            backgroundRetryAt = Instant.MIN;
        } catch (RuntimeException e) {
            consecutiveFailures++;
            long delaySeconds = Math.min(MAX_RETRY_DELAY_SECONDS, 1L << Math.min(consecutiveFailures - 1, 6));
            backgroundRetryAt = options.clock.instant().plusSeconds(delaySeconds);
            throw e;
        }
    }

    /** Caller holds {@link #checkpointLock}. */
    private void checkpointOnce() {
        JournalWriter j = Objects.requireNonNull(journal);
        j.ensureUsable(); // a failed journal cannot record a checkpoint: say so before writing anything
        long seq;
        long from;
        Map<ListKey, List<MemoryItem>> snapshot = new LinkedHashMap<>();
        Set<String> excluded = new LinkedHashSet<>();
        stateLock.writeLock().lock();
        try {
            seq = lastSeq;
            from = j.appendedPosition();
            if (dirty.isEmpty() && seq == checkpointedSeq) {
                lastCheckpoint = options.clock.instant();
                return;
            }
            for (ListKey key : dirty) {
                snapshot.put(key, table.items(key.agent, key.kind));
            }
            dirty.clear();
            for (AgentId a : unreadable.keySet()) {
                excluded.add(a.name());
            }
        } finally {
            stateLock.writeLock().unlock();
        }
        FileOps ops = options.fileOps;
        long attempt = ++checkpointAttempts;
        List<ListKey> keys = new ArrayList<>(snapshot.keySet());
        List<JournalFormat.Rename> renames = new ArrayList<>();
        List<Path[]> moves = new ArrayList<>();
        boolean recorded = false;
        int renamed = 0;
        try {
            List<String> conflicts = externallyChanged(keys);
            if (!conflicts.isEmpty()) {
                throw new ConcurrentOperationException("Another program changed " + String.join(", ", conflicts)
                        + " since AML loaded it. AML did not overwrite it and wrote no item file in this checkpoint; "
                        + "its changes are safe in the journal " + j.file() + ". Stop the other program, then reopen the "
                        + "store: reopening loads the file as it is now and replays AML's changes on top.");
            }
            for (Map.Entry<ListKey, List<MemoryItem>> e : snapshot.entrySet()) {
                Path target = target(e.getKey());
                TreeFiles.createPrivateDirectories(target.getParent());
                // unique per attempt: a retry must never overwrite or delete the temp file of an earlier attempt
                // whose journal record names it (recovery may still roll that one forward)
                Path tmp = target.resolveSibling("." + target.getFileName() + "." + seq + "-" + attempt + TMP_SUFFIX);
                moves.add(new Path[] {tmp, target}); // before writing: a half-written temp is deleted below
                ops.writeDurably(tmp, encode(e.getValue(), target));
                renames.add(new JournalFormat.Rename(relative(tmp), relative(target)));
            }
            long recordEnd = j.append(JournalFormat.frameCheckpoint(seq, excluded, renames));
            // From here the record may reach the disk even if the fsync below fails, and recovery then trusts
            // the temp files it names: they must not be deleted any more.
            recorded = true;
            j.sync(recordEnd, true);
            Set<Path> directories = new LinkedHashSet<>();
            for (Path[] m : moves) {
                ops.move(m[0], m[1]);
                renamed++;
                directories.add(FileOps.directoryOf(m[1]));
            }
            for (ListKey key : keys) {
                fileStates.put(key, FileState.of(target(key)));
            }
            // a crash before these fsyncs leaves each rename either visible or its temp file in place, which
            // recovery renames again because the journal still holds the checkpoint record
            for (Path dir : directories) {
                ops.fsyncDirectory(dir);
            }
            if (journalPinned) {
                LOG.warn("Journal {} is not trimmed: it holds changes of unreadable agents {}; repair them and reopen",
                        j.file(), excluded);
            } else {
                j.trim(JournalFormat.frameCheckpoint(seq, excluded, List.of()), from);
            }
            checkpointedSeq = seq;
            lastCheckpoint = options.clock.instant();
            for (Path stale : strandedTemps) {
                deleteQuietly(stale);
            }
            strandedTemps.clear();
        } catch (IOException | RuntimeException e) {
            stateLock.writeLock().lock();
            try {
                dirty.addAll(snapshot.keySet());
            } finally {
                stateLock.writeLock().unlock();
            }
            // Files AML renamed into place are AML's own writes: remember their state, or the next checkpoint
            // would take them for another program's edit and refuse until reopen. A rename that threw may still
            // have happened (its temp file is gone); anything not renamed is still as it was.
            for (int i = 0; i < moves.size() && recorded; i++) {
                Path[] m = moves.get(i);
                if (i < renamed || !Files.exists(m[0], LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        fileStates.put(keys.get(i), FileState.of(m[1]));
                    } catch (IOException stat) {
                        e.addSuppressed(stat); // the next checkpoint then reports the file instead
                    }
                } else {
                    // named by a checkpoint record: recovery would roll it forward, so it stays until a later
                    // checkpoint record supersedes this one
                    strandedTemps.add(m[0]);
                }
            }
            if (!recorded) {
                for (Path[] m : moves) {
                    deleteQuietly(m[0]);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Checkpoint of " + root + " failed after " + renamed
                        + " of " + moves.size() + " file(s) were replaced: " + io
                        + ". No change is lost: the journal still holds them; the next checkpoint retries.", io);
            }
            throw (RuntimeException) e;
        }
    }

    private Path target(ListKey key) {
        Path known = fileNames.get(key);
        return known != null ? known : root.resolve(key.agent.name()).resolve(key.kind.fileName());
    }

    private byte[] encode(List<MemoryItem> items, Path target) {
        byte[] plain = json.write(items);
        CompressionCodec codec = target.getFileName().toString().endsWith(".gz") ? CompressionCodec.gzip()
                : options.codec;
        return codec.compress(plain);
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        ensureOpen();
        writeGate.writeLock().lock();
        try {
            if (journal != null) {
                checkpointOnOwnedThread();
            }
            return action.get();
        } finally {
            writeGate.writeLock().unlock();
        }
    }

    /**
     * Checkpoints, pauses writes, and refuses if another program changed one of the store's files
     * among {@code files} (as a checkpoint would); then runs {@code action} and records the state of
     * those files as the store's own, so re-encoding them (e.g. {@code optimize compress}) does not
     * make the next checkpoint report an external edit. The state is recorded even if the action
     * fails midway, since any file it already rewrote holds the same items.
     */
    @Override
    public <T> T rewritingFilesInPlace(Collection<Path> files, Supplier<T> action) {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(action, "action");
        return quiesced(() -> {
            checkpointLock.lock();
            try {
                Set<Path> wanted = new HashSet<>();
                for (Path f : files) {
                    wanted.add(f.toAbsolutePath().normalize());
                }
                List<ListKey> owned = new ArrayList<>();
                for (ListKey key : fileStates.keySet()) {
                    if (wanted.contains(target(key).toAbsolutePath().normalize())) {
                        owned.add(key);
                    }
                }
                List<String> conflicts;
                try {
                    conflicts = externallyChanged(owned);
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not read the attributes of the files to rewrite: "
                            + e.getMessage(), e);
                }
                if (!conflicts.isEmpty()) {
                    throw new ConcurrentOperationException("Another program changed " + String.join(", ", conflicts)
                            + " since AML loaded it, so AML did not rewrite any file. Stop the other program, then "
                            + "reopen the store: reopening loads the file as it is now.");
                }
                try {
                    return action.get();
                } finally {
                    for (ListKey key : owned) {
                        fileStates.put(key, fileState(target(key)));
                    }
                }
            } finally {
                checkpointLock.unlock();
            }
        });
    }

    /**
     * @param keys item lists whose files to check (callers hold {@link #checkpointLock})
     * @return the files among them that another program changed, created, deleted or replaced since
     *     the store loaded or wrote them, each described for a message; empty when none
     * @throws IOException if a file's attributes cannot be read
     */
    private List<String> externallyChanged(Collection<ListKey> keys) throws IOException {
        List<String> conflicts = new ArrayList<>();
        for (ListKey key : keys) {
            Path target = target(key);
            FileState known = fileStates.getOrDefault(key, FileState.ABSENT);
            FileState now = FileState.of(target);
            if (known.changedTo(now)) {
                conflicts.add(target + " (loaded: " + known.describe() + "; now: " + now.describe() + ")");
            }
        }
        return conflicts;
    }

    private static FileState fileState(Path file) {
        try {
            return FileState.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the attributes of " + file + ": " + e.getMessage(), e);
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
        ScheduledExecutorService exec = background;
        if (exec == null) {
            closeQuietly(journal, treeLock);
            return;
        }
        // the final checkpoint and the release of journal and lock run on the checkpointer thread, so an
        // interrupted caller neither breaks them nor gives up waiting for them (its flag stays set)
        try {
            Uninterruptibly.call(exec, () -> {
                try {
                    lockedCheckpoint();
                } finally {
                    closeQuietly(journal, treeLock);
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: checkpoints throw unchecked exceptions only
        } finally {
            exec.shutdown();
            Uninterruptibly.awaitTermination(exec, TimeUnit.MINUTES.toMillis(1));
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private <T> T read(Supplier<T> action) {
        stateLock.readLock().lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    private void checkReadable(AgentId agent) {
        CorruptDataException e = unreadable.get(agent);
        if (e != null) {
            throw new CorruptDataException("Agent '" + agent + "' of " + root + " is unreadable, so AML neither reads "
                    + "nor writes it: " + e.getMessage(), e.file().orElse(null), e.position(), e.positionKind(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The store on " + root + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (options.readOnly) {
            throw new IllegalStateException("The store on " + root + " was opened read-only");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale temp file is removed at the next open
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
        return "FileMemoryStore[" + describe() + ", " + options.durability + "]";
    }

    // ------------------------------------------------------------------------------------------ options

    private record Options(Durability durability, CompressionCodec codec, TimestampStyle timestampStyle, ZoneId zone,
            boolean readOnly, Duration lockTimeout, long checkpointBytes, Duration checkpointInterval, Clock clock,
            FileOps fileOps) {
    }

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

        private static void once(@Nullable Object old, String name) {
            if (old != null) {
                throw new IllegalStateException(name + " was already set to " + old);
            }
        }

        /**
         * @param value when writes become durable (default {@link Durability#BATCH})
         * @return this builder
         */
        public Builder durability(Durability value) {
            once(durability, "durability");
            durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        /**
         * @param value how item files are compressed at checkpoints (default {@link CompressionCodec#none()},
         *     plain JSON that every Loom tool reads); reading detects every codec
         * @return this builder
         */
        public Builder codec(CompressionCodec value) {
            once(codec, "codec");
            codec = Objects.requireNonNull(value, "codec");
            return this;
        }

        /**
         * @param value how timestamps are written (default {@link TimestampStyle#UTC_Z})
         * @return this builder
         */
        public Builder timestampStyle(TimestampStyle value) {
            once(timestampStyle, "timestampStyle");
            timestampStyle = Objects.requireNonNull(value, "timestampStyle");
            return this;
        }

        /**
         * @param value the zone of naive timestamps (default: the system zone, as Loom's Python toolkit writes them)
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            once(zone, "zone");
            zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /**
         * @param value whether to open read-only: no lock, no writes, nothing on disk changes (default false)
         * @return this builder
         */
        public Builder readOnly(boolean value) {
            once(readOnly, "readOnly");
            readOnly = value;
            return this;
        }

        /**
         * @param value how long to wait for another writer to release the tree (default zero: fail at once)
         * @return this builder
         */
        public Builder lockTimeout(Duration value) {
            once(lockTimeout, "lockTimeout");
            lockTimeout = Objects.requireNonNull(value, "lockTimeout");
            return this;
        }

        /**
         * @param value journal size in bytes that triggers a background checkpoint (default
         *     {@value FileMemoryStore#DEFAULT_CHECKPOINT_BYTES})
         * @return this builder
         */
        public Builder checkpointBytes(long value) {
            once(checkpointBytes, "checkpointBytes");
            checkpointBytes = value;
            return this;
        }

        /**
         * @param value time after which a background checkpoint runs when anything changed (default 5 minutes)
         * @return this builder
         */
        public Builder checkpointInterval(Duration value) {
            once(checkpointInterval, "checkpointInterval");
            checkpointInterval = Objects.requireNonNull(value, "checkpointInterval");
            return this;
        }

        /**
         * @param value the clock for checkpoint intervals and lock waits (default the system UTC clock)
         * @return this builder
         */
        public Builder clock(Clock value) {
            once(clock, "clock");
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
            once(fileOps, "fileOps");
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
            Duration wait = lockTimeout == null ? Duration.ZERO : lockTimeout;
            if (wait.isNegative()) {
                throw new IllegalArgumentException("lockTimeout must not be negative, was " + wait);
            }
            long bytes = checkpointBytes == null ? DEFAULT_CHECKPOINT_BYTES : checkpointBytes;
            if (bytes < 1024) {
                throw new IllegalArgumentException("checkpointBytes must be at least 1024, was " + bytes);
            }
            Duration interval = checkpointInterval == null ? DEFAULT_CHECKPOINT_INTERVAL : checkpointInterval;
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive, was " + interval);
            }
            Options o = new Options(durability == null ? Durability.BATCH : durability,
                    codec == null ? CompressionCodec.none() : codec,
                    timestampStyle == null ? TimestampStyle.UTC_Z : timestampStyle,
                    zone == null ? ZoneId.systemDefault() : zone,
                    readOnly != null && readOnly, wait, bytes, interval,
                    clock == null ? Clock.systemUTC() : clock, fileOps == null ? FileOps.SYSTEM : fileOps);
            return new FileMemoryStore(root.toAbsolutePath().normalize(), o);
        }
    }
}
