package dev.aml.store.internal;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.MemoryItem;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.LoomJson;
import dev.aml.store.FileMemoryStore;
import dev.aml.store.internal.TreeFiles.FileState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of the file store: writing the changed item files, trimming the journal, and the
 * thread all of it runs on.
 *
 * <h2>One checkpoint</h2>
 * A checkpoint takes the dirty item lists from {@link TreeState} together with the journal position
 * they correspond to; writes each changed list to a temp file in the same directory with fsync;
 * appends a CHECKPOINT journal entry naming the temp files and their targets and fsyncs it; renames
 * them over the originals and fsyncs the directories; then trims the journal to the entries written
 * after the snapshot. A crash at any point leaves either the old files plus the journal or the new
 * files plus a journal whose replay skips what the files already hold; recovery ({@link TreeLoader})
 * rolls pending renames forward.
 *
 * <h2>Failed steps leave memory and disk in agreement</h2>
 * Once a checkpoint's journal record is appended, the temp files it names are never deleted by that
 * checkpoint (recovery would roll them forward), only by a later checkpoint whose record supersedes
 * it ("stranded" temps). Temp file names are unique per attempt, so a retry never overwrites one.
 * Files a failed checkpoint did rename are recorded as AML's own writes, so the next checkpoint does
 * not mistake them for another program's edit. Every failed checkpoint marks its lists dirty again;
 * the journal keeps their changes and the next checkpoint retries.
 *
 * <h2>Other programs' edits</h2>
 * The checkpointer remembers size, modification time and file key of every item file the store
 * loaded or wrote ({@link FileState}). If another program changed a file a checkpoint is about to
 * rewrite, the checkpoint writes nothing and throws {@link ConcurrentOperationException} naming the
 * file. {@link #rewritingInPlace} lets maintenance rewrite the store's files (compression) and adopt
 * the result, refusing in the same way.
 *
 * <h2>Triggers, backoff and the owned thread</h2>
 * Checkpoints run on explicit request, inside {@code quiesced}, at close, and in the background when
 * the journal exceeds {@code checkpointBytes} or {@code checkpointInterval} has passed; after a failed
 * checkpoint the background triggers wait 1 s, 2 s, 4 s, … (at most 60 s) before retrying, instead of
 * rewriting temp files and logging every second. Every checkpoint, whoever asked for it, runs on the
 * one thread this class owns ({@link #ownedExecutor}), which also opens the store: an interrupted
 * caller can never close a {@link java.nio.channels.FileChannel} mid-checkpoint, and it waits without
 * reacting to interrupts ({@link Uninterruptibly}).
 *
 * <h2>Locks</h2>
 * The checkpoint lock serializes checkpoints and in-place rewrites and guards the file states; the
 * state lock (inside {@link TreeState}) is taken only briefly to snapshot or re-dirty. The store's
 * write gate, taken before both by {@code quiesced}, is the store's concern.
 */
public final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(FileMemoryStore.class);
    private static final long MAX_RETRY_DELAY_SECONDS = 60;
    /** Most threads a checkpoint encodes item files on ({@link EncodeAhead}). */
    private static final int MAX_ENCODERS = 4;

    private final Path root;
    private final FileStoreOptions options;
    private final LoomJson json;
    private final TreeLoader loader;
    private final TreeState state;
    private final @Nullable JournalWriter journal;
    private final @Nullable ScheduledExecutorService background;
    private final AtomicReference<@Nullable Thread> thread;
    private final BooleanSupplier closed;
    private final boolean journalPinned;
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final AtomicBoolean checkpointQueued = new AtomicBoolean();
    /** Temp files of a failed checkpoint that its journal record names; checkpointer thread only. */
    private final Set<Path> strandedTemps = new LinkedHashSet<>();
    /** Numbers the checkpoint attempts, for unique temp file names; checkpointer thread only. */
    private long checkpointAttempts;
    /** Failed checkpoints in a row; checkpointer thread only. */
    private int consecutiveFailures;
    /** Background checkpoints wait until then after a failure. */
    private volatile Instant backgroundRetryAt = Instant.MIN;
    private volatile Instant lastCheckpoint;

    /**
     * @param root the memory root
     * @param options the store's options
     * @param json how item files are written
     * @param loader the tree's loader (relative names for journal records)
     * @param state the tree in memory
     * @param journalPinned whether the journal must be kept: it holds changes of unreadable agents
     * @param journal the journal of a read-write store; null for a read-only one, which never checkpoints
     * @param background the owned executor of a read-write store ({@link #ownedExecutor}); null if read-only
     * @param thread the owned executor's thread, once started
     * @param closed whether the store is closed (background checkpoints then stop)
     * @param openedAt when the store started opening: the time trigger's first interval starts there
     */
    public Checkpointer(Path root, FileStoreOptions options, LoomJson json, TreeLoader loader, TreeState state,
            boolean journalPinned, @Nullable JournalWriter journal, @Nullable ScheduledExecutorService background,
            AtomicReference<@Nullable Thread> thread, BooleanSupplier closed, Instant openedAt) {
        this.root = root;
        this.options = options;
        this.json = json;
        this.loader = loader;
        this.state = state;
        this.journal = journal;
        this.background = background;
        this.thread = thread;
        this.closed = closed;
        this.journalPinned = journalPinned;
        this.lastCheckpoint = openedAt;
    }

    /**
     * The single thread on which a store does all its disk I/O: for a read-write store the
     * checkpointer, for a read-only one a thread that lives for the load.
     *
     * @param root the memory root (names the thread)
     * @param readOnly whether the store is read-only
     * @param thread receives the thread when it starts
     * @return the executor
     */
    public static ScheduledExecutorService ownedExecutor(Path root, boolean readOnly,
            AtomicReference<@Nullable Thread> thread) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aml-" + (readOnly ? "loader " : "checkpointer ") + root);
            t.setDaemon(true);
            thread.set(t);
            return t;
        });
    }

    /** Starts the time trigger (read-write stores). */
    public void start() {
        ScheduledExecutorService exec = Objects.requireNonNull(background);
        long period = Math.max(50, Math.min(1000, options.checkpointInterval().toMillis()));
        exec.scheduleWithFixedDelay(this::timedCheckpoint, period, period, TimeUnit.MILLISECONDS);
    }

    /** Checkpoints now and waits for it (no-op for a read-only store). */
    public void checkpoint() {
        if (journal != null) {
            checkpointOnOwnedThread();
        }
    }

    /** Queues a background checkpoint if the journal has grown past {@code checkpointBytes}. */
    public void afterWrite() {
        if (journal != null && journal.size() > options.checkpointBytes()) {
            requestCheckpoint();
        }
    }

    /**
     * Runs a checkpoint on the checkpointer thread and waits for it without reacting to interrupts
     * (an interrupt meanwhile stays set on the calling thread). Read-write stores only.
     */
    private void checkpointOnOwnedThread() {
        ScheduledExecutorService exec = Objects.requireNonNull(background);
        if (Thread.currentThread() == thread.get()) {
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
        } catch (RejectedExecutionException e) {
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
            } catch (RejectedExecutionException e) {
                checkpointQueued.set(false); // closing
            }
        }
    }

    private void timedCheckpoint() {
        if (Duration.between(lastCheckpoint, options.clock().instant()).compareTo(options.checkpointInterval()) >= 0) {
            backgroundCheckpoint();
        }
    }

    private void backgroundCheckpoint() {
        if (closed.getAsBoolean() || options.clock().instant().isBefore(backgroundRetryAt)) {
            return;
        }
        checkpointLock.lock();
        try {
            if (!closed.getAsBoolean()) {
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
     * trying again. Explicit checkpoints always try. Caller holds {@link #checkpointLock}.
     */
    private void doCheckpoint() {
        try {
            checkpointOnce();
            consecutiveFailures = 0;
            backgroundRetryAt = Instant.MIN;
        } catch (RuntimeException e) {
            consecutiveFailures++;
            long delaySeconds = Math.min(MAX_RETRY_DELAY_SECONDS, 1L << Math.min(consecutiveFailures - 1, 6));
            backgroundRetryAt = options.clock().instant().plusSeconds(delaySeconds);
            throw e;
        }
    }

    /** Caller holds {@link #checkpointLock}. */
    private void checkpointOnce() {
        JournalWriter j = Objects.requireNonNull(journal);
        j.ensureUsable(); // a failed journal cannot record a checkpoint: say so before writing anything
        TreeState.Snapshot snapshot = state.takeDirty(j);
        if (snapshot == null) {
            lastCheckpoint = options.clock().instant();
            return;
        }
        long seq = snapshot.seq();
        Set<String> excluded = snapshot.excluded();
        FileOps ops = options.fileOps();
        long attempt = ++checkpointAttempts;
        List<ListKey> keys = new ArrayList<>(snapshot.items().keySet());
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
            try (EncodeAhead encoded = new EncodeAhead(snapshot.items())) {
                for (int i = 0; i < keys.size(); i++) {
                    Path target = target(keys.get(i));
                    TreeFiles.createPrivateDirectories(target.getParent());
                    // unique per attempt: a retry must never overwrite or delete the temp file of an earlier
                    // attempt whose journal record names it (recovery may still roll that one forward)
                    Path tmp = target.resolveSibling("." + target.getFileName() + "." + seq + "-" + attempt
                            + TreeLoader.TMP_SUFFIX);
                    moves.add(new Path[] {tmp, target}); // before writing: a half-written temp is deleted below
                    ops.writeDurably(tmp, encoded.next());
                    renames.add(new JournalFormat.Rename(loader.relative(tmp), loader.relative(target)));
                }
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
                state.fileStates().put(key, FileState.of(target(key)));
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
                j.trim(JournalFormat.frameCheckpoint(seq, excluded, List.of()), snapshot.from());
            }
            state.checkpointed(seq);
            lastCheckpoint = options.clock().instant();
            for (Path stale : strandedTemps) {
                deleteQuietly(stale);
            }
            strandedTemps.clear();
        } catch (IOException | RuntimeException e) {
            state.markDirty(snapshot.items().keySet());
            // Files AML renamed into place are AML's own writes: remember their state, or the next checkpoint
            // would take them for another program's edit and refuse until reopen. A rename that threw may still
            // have happened (its temp file is gone); anything not renamed is still as it was.
            for (int i = 0; i < moves.size() && recorded; i++) {
                Path[] m = moves.get(i);
                if (i < renamed || !Files.exists(m[0], LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        state.fileStates().put(keys.get(i), FileState.of(m[1]));
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
        Path known = state.fileNames().get(key);
        return known != null ? known : root.resolve(key.agent().name()).resolve(key.kind().fileName());
    }

    /**
     * The item files of one checkpoint, encoded on threads of their own (one per core, at most
     * {@value #MAX_ENCODERS}) up to one file per thread and one more ahead of the checkpointer
     * thread, which writes and fsyncs them in order: encoding (CPU) overlaps writing (mostly waiting
     * for the disk) and uses the cores (a prune's checkpoint of 95 MB of survivors: 0.6 s on one
     * encoder, benchmarks/RESULTS.md), the files are written exactly as before and in the same
     * order, and at most a few encoded files are held at once. Encoders do no I/O, so stopping them
     * after a failure leaves nothing behind. A checkpoint of one file encodes it inline.
     */
    private final class EncodeAhead implements AutoCloseable {
        private final List<Map.Entry<ListKey, List<MemoryItem>>> lists;
        private final @Nullable ExecutorService encoder;
        private final int aheadLimit;
        private final ArrayDeque<Future<byte[]>> ahead = new ArrayDeque<>();
        private int submitted;
        private int taken;

        EncodeAhead(Map<ListKey, List<MemoryItem>> items) {
            this.lists = new ArrayList<>(items.entrySet());
            int threads = Math.min(lists.size(), Math.min(MAX_ENCODERS, Runtime.getRuntime().availableProcessors()));
            this.aheadLimit = threads + 1;
            AtomicInteger n = new AtomicInteger();
            this.encoder = lists.size() < 2 ? null : Executors.newFixedThreadPool(Math.max(1, threads), r -> {
                Thread t = new Thread(r, "aml-encoder-" + n.incrementAndGet() + " " + root);
                t.setDaemon(true);
                return t;
            });
        }

        /** @return the encoded bytes of the next file, in order */
        byte[] next() {
            Map.Entry<ListKey, List<MemoryItem>> list = lists.get(taken++);
            if (encoder == null) {
                return encode(list.getValue(), target(list.getKey()));
            }
            while (submitted < lists.size() && submitted - taken < aheadLimit) {
                Map.Entry<ListKey, List<MemoryItem>> e = lists.get(submitted++);
                Path target = target(e.getKey());
                ahead.add(encoder.submit(() -> encode(e.getValue(), target)));
            }
            try {
                return Uninterruptibly.await(ahead.removeFirst());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not reached: encoding throws unchecked exceptions only
            }
        }

        @Override
        public void close() {
            if (encoder != null) {
                encoder.shutdownNow();
                Uninterruptibly.awaitTermination(encoder, TimeUnit.MINUTES.toMillis(1));
            }
        }
    }

    private byte[] encode(List<MemoryItem> items, Path target) {
        byte[] plain = json.write(items);
        CompressionCodec codec = target.getFileName().toString().endsWith(".gz") ? CompressionCodec.gzip()
                : options.codec();
        return codec.compress(plain);
    }

    /**
     * Refuses if another program changed one of the store's files among {@code files} (as a checkpoint
     * would); then runs {@code action} and records the state of those files as the store's own, so
     * re-encoding them (e.g. {@code optimize compress}) does not make the next checkpoint report an
     * external edit. The state is recorded even if the action fails midway, since any file it already
     * rewrote holds the same items. Callers hold the store's write gate (after a checkpoint).
     *
     * @param files the files the action may rewrite (files that are not the store's are ignored)
     * @param action what to run
     * @param <T> the result type
     * @return the action's result
     * @throws ConcurrentOperationException if another program changed one of the store's files
     */
    public <T> T rewritingInPlace(Collection<Path> files, Supplier<T> action) {
        // the files' states are the loaded tree's: a load while the files are rewritten could record
        // a state the rewrite then replaces
        state.ensureLoaded();
        checkpointLock.lock();
        try {
            Set<Path> wanted = new HashSet<>();
            for (Path f : files) {
                wanted.add(f.toAbsolutePath().normalize());
            }
            List<ListKey> owned = new ArrayList<>();
            for (ListKey key : state.fileStates().keySet()) {
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
                    state.fileStates().put(key, fileState(target(key)));
                }
            }
        } finally {
            checkpointLock.unlock();
        }
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
            FileState known = state.fileStates().getOrDefault(key, FileState.ABSENT);
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

    /**
     * Runs the final checkpoint and then {@code release} (the journal and the lock) on the checkpointer
     * thread, waits for both without reacting to interrupts, and stops the thread. A read-only store
     * only runs {@code release}. The store's closed flag is already set.
     *
     * @param release closes the journal and releases the tree lock; must not throw
     */
    public void close(Runnable release) {
        ScheduledExecutorService exec = background;
        if (exec == null) {
            release.run();
            return;
        }
        try {
            Uninterruptibly.call(exec, () -> {
                try {
                    lockedCheckpoint();
                } finally {
                    release.run();
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

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale temp file is removed at the next open
        }
    }
}
