package dev.aml.store.internal;

import dev.aml.core.AmlException;
import dev.aml.core.Durability;
import dev.aml.loom.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends framed entries to the journal file with group commit, doing every write, fsync and
 * rewrite of the file on one thread of its own.
 *
 * <h2>Design</h2>
 * Writers {@link #append} entries to an in-memory buffer (in sequence order: the store calls it
 * under its write lock) and get back a logical position. Making them durable is separate and never
 * happens on the writer's thread: the journal's I/O thread repeatedly takes everything buffered so
 * far, writes it and (for {@link Durability#SYNC} and {@link Durability#BATCH}) fsyncs once. A
 * {@link #sync} caller only waits until the I/O thread has passed its position; while one fsync
 * runs, the entries of other writers pile up and go out together in the next one, so N concurrent
 * SYNC writers cost about one fsync, not N (group commit). {@code BATCH} callers do not wait at
 * all: their entry is on disk within about one fsync time. {@link Durability#NONE} entries are
 * written to the OS at once and fsynced only when someone asks ({@link #flush()}, checkpoint,
 * close).
 *
 * <h2>Why a thread of its own</h2>
 * Interrupting a thread that is inside {@link FileChannel} I/O closes the channel for everyone
 * ({@link java.nio.channels.ClosedByInterruptException}): an application that interrupts one
 * worker while it records an outcome would otherwise make the journal unusable for the whole
 * process. Only the I/O thread touches the channel, and nobody but this class can reach it to
 * interrupt it. Callers wait with {@link Condition#awaitUninterruptibly()}, which keeps an
 * interrupt that arrives meanwhile as the thread's interrupt flag, so the caller still sees it at
 * its next blocking call. {@link #trim} is queued to the same thread, which also means no write
 * round can overlap a rewrite of the file.
 *
 * <p>Positions are logical byte counts since the writer was opened; they survive {@link #trim},
 * which rewrites the file (temp + fsync + rename) keeping only a new first entry and the entries
 * after a given position. The rename takes effect for the channel at once; if the directory fsync
 * after it fails, it is retried before anything is acknowledged as durable again. After any
 * failure of the journal file itself the writer refuses further appends: the store cannot promise
 * durability any more and says so instead of pretending. A failure while writing the temp file of
 * a trim leaves the old journal and the writer as they were.
 */
public final class JournalWriter implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

    private final Path file;
    private final Durability durability;
    private final FileOps ops;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when {@link #written}, {@link #durable} or {@link #failure} change. */
    private final Condition changed = lock.newCondition();
    /** Signalled when there is work for the I/O thread. */
    private final Condition work = lock.newCondition();
    private final Thread io;
    /** Only the I/O thread (and open/close around its life) uses the channel. */
    private FileChannel channel;
    private static final int INITIAL_BUFFER = 64 * 1024;
    /** Largest buffer kept for the next round; a larger one (after a large entry) is let go. */
    private static final int RETAINED_BUFFER = 1024 * 1024;
    /**
     * Large entries waiting for the I/O thread, as their own arrays, and the buffer content that was
     * appended before them; all of it goes to disk before {@link #pending}.
     */
    private List<ByteBuffer> queued = new ArrayList<>();
    /** Small entries waiting for the I/O thread, appended after everything {@link #queued}. */
    private byte[] pending = new byte[INITIAL_BUFFER];
    private byte[] spare = new byte[INITIAL_BUFFER];
    private int pendingLength;
    private volatile long appended;
    private long written;
    private long durable;
    private long forceRequested;
    private volatile long fileBase;
    private boolean ioIdle;
    /** A trim renamed a new journal into place but the directory fsync failed; I/O thread only. */
    private boolean directorySyncPending;
    private boolean closed;
    private @Nullable IOException failure;
    private @Nullable FutureTask<Void> trimTask;

    private JournalWriter(Path file, FileChannel channel, long size, Durability durability, FileOps ops) {
        this.file = file;
        this.channel = channel;
        this.durability = durability;
        this.ops = ops;
        this.appended = size;
        this.written = size;
        this.durable = size;
        this.forceRequested = size;
        io = new Thread(this::runIo, "aml-journal " + file);
        io.setDaemon(true);
        io.start();
    }

    /**
     * Opens the journal for appending, cutting off a torn tail. Does I/O on the calling thread: the
     * store calls it from a thread it owns.
     *
     * @param file the journal file
     * @param validLength bytes to keep (0 writes a fresh header)
     * @param durability when appends become durable
     * @return the writer
     * @throws IOException if the file cannot be opened or repaired
     */
    public static JournalWriter open(Path file, long validLength, Durability durability) throws IOException {
        return open(file, validLength, durability, FileOps.SYSTEM);
    }

    /**
     * As {@link #open(Path, long, Durability)}, with the file-system steps of trims going through
     * {@code ops} (tests inject failures there).
     *
     * @param file the journal file
     * @param validLength bytes to keep (0 writes a fresh header)
     * @param durability when appends become durable
     * @param ops the file-system steps
     * @return the writer
     * @throws IOException if the file cannot be opened or repaired
     */
    public static JournalWriter open(Path file, long validLength, Durability durability, FileOps ops)
            throws IOException {
        FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), DurableFiles.privateFile());
        try {
            long size = ch.size();
            if (validLength < JournalFormat.FILE_MAGIC.length) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(JournalFormat.FILE_MAGIC), 0);
                validLength = JournalFormat.FILE_MAGIC.length;
            } else if (size > validLength) {
                ch.truncate(validLength);
            }
            ch.force(true);
            ch.position(validLength);
            if (size == 0) {
                ops.fsyncDirectory(FileOps.directoryOf(file));
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new JournalWriter(file, ch, validLength, durability, ops);
    }

    /**
     * Buffers one framed entry (see {@link #append(JournalFormat.Framed)}).
     *
     * @param entry the entry bytes, handed over
     * @return the logical position just after it, for {@link #sync}
     * @throws AmlException if an earlier write failed or the writer is closed
     */
    public long append(byte[] entry) {
        return append(JournalFormat.Framed.of(entry));
    }

    /**
     * Buffers one framed entry. Callers append in sequence order. Does no I/O. A small entry is
     * copied into the buffer; a large one (a prune's batch) is queued as its own arrays, not copied,
     * so the caller hands it over and must not change it afterwards.
     *
     * @param entry the entry
     * @return the logical position just after it, for {@link #sync}
     * @throws AmlException if an earlier write failed or the writer is closed
     */
    public long append(JournalFormat.Framed entry) {
        lock.lock();
        try {
            checkUsable();
            if (entry.length() > INITIAL_BUFFER) {
                // what is buffered goes first, then the entry's arrays as they are
                if (pendingLength > 0) {
                    queued.add(ByteBuffer.wrap(pending, 0, pendingLength));
                    pending = new byte[INITIAL_BUFFER];
                    pendingLength = 0;
                }
                for (int i = 0; i < entry.segmentCount(); i++) {
                    queued.add(ByteBuffer.wrap(entry.segment(i)));
                }
            } else {
                int length = (int) entry.length();
                int needed = pendingLength + length;
                if (needed > pending.length) {
                    pending = Arrays.copyOf(pending, needed < RETAINED_BUFFER ? Math.max(pending.length * 2, needed)
                            : needed + needed / 8);
                }
                for (int i = 0; i < entry.segmentCount(); i++) {
                    byte[] segment = entry.segment(i);
                    System.arraycopy(segment, 0, pending, pendingLength, segment.length);
                    pendingLength += segment.length;
                }
            }
            appended += entry.length();
            if (ioIdle) {
                ioIdle = false;
                work.signal();
            }
            return appended;
        } finally {
            lock.unlock();
        }
    }

    /** @return the logical position after the last appended entry */
    public long appendedPosition() {
        lock.lock();
        try {
            return appended;
        } finally {
            lock.unlock();
        }
    }

    /** @return the current size of the journal file including buffered entries, in bytes (a racy estimate) */
    public long size() {
        return appended - fileBase;
    }

    /**
     * Waits until everything up to {@code position} is written (and fsynced if {@code force}) by
     * the I/O thread. Interrupts do not end the wait; they stay set on the calling thread.
     *
     * @param position a position {@link #append} returned
     * @param force whether to wait for fsync
     * @throws AmlException if writing or fsync fails
     */
    public void sync(long position, boolean force) {
        lock.lock();
        try {
            if (force && forceRequested < position) {
                forceRequested = position;
                ioIdle = false;
                work.signal();
            }
            while ((force ? durable : written) < position) {
                checkFailure();
                if (closed && !io.isAlive()) {
                    throw new IllegalStateException("The journal " + file + " is closed");
                }
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes and fsyncs everything appended so far. */
    public void flush() {
        sync(appendedPosition(), true);
    }

    /**
     * Rewrites the journal as: header, {@code firstEntry}, then every entry appended at or after
     * logical position {@code from}. Durable (temp file, fsync, rename, directory fsync); on failure
     * before the rename the old journal stays as it was and the writer stays usable. Runs on the
     * I/O thread; the caller waits uninterruptibly.
     *
     * @param firstEntry a framed entry to put first (the checkpoint record)
     * @param from the logical position of the first entry to keep
     * @throws IOException if the rewrite fails
     */
    public void trim(byte[] firstEntry, long from) throws IOException {
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                trimNow(firstEntry, from);
            } catch (IOException e) {
                throw new Uninterruptibly.IoFailure(e);
            }
            return null;
        });
        lock.lock();
        try {
            checkUsable();
            if (trimTask != null) {
                throw new IllegalStateException("A trim of the journal " + file + " is already queued");
            }
            trimTask = task;
            ioIdle = false;
            work.signal();
        } finally {
            lock.unlock();
        }
        Uninterruptibly.await(task);
    }

    private void trimNow(byte[] firstEntry, long from) throws IOException {
        lock.lock();
        try {
            checkUsable();
            // on the I/O thread, so no write round is in flight
            try {
                writeQueued(queued);
                queued = new ArrayList<>();
                writeFully(pending, pendingLength);
                pendingLength = 0;
                forceChannel();
            } catch (IOException e) {
                fail(e);
                throw e;
            }
            written = appended;
            durable = appended;
            changed.signalAll();
            long fromInFile = from - fileBase;
            long size = appended - fileBase;
            if (fromInFile < JournalFormat.FILE_MAGIC.length || fromInFile > size) {
                throw new IllegalStateException("trim position " + from + " outside the journal");
            }
            ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(size - fromInFile));
            while (tail.hasRemaining()) {
                if (channel.read(tail, fromInFile + tail.position()) < 0) {
                    throw new IOException("journal " + file + " is shorter than expected");
                }
            }
            byte[] content = new byte[JournalFormat.FILE_MAGIC.length + firstEntry.length + tail.capacity()];
            System.arraycopy(JournalFormat.FILE_MAGIC, 0, content, 0, JournalFormat.FILE_MAGIC.length);
            System.arraycopy(firstEntry, 0, content, JournalFormat.FILE_MAGIC.length, firstEntry.length);
            System.arraycopy(tail.array(), 0, content, JournalFormat.FILE_MAGIC.length + firstEntry.length,
                    tail.capacity());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".aml-tmp");
            try {
                ops.writeDurably(tmp, content);
                ops.move(tmp, file);
            } catch (IOException e) {
                // the rename did not happen: the old journal is whole and the channel still writes to it
                deleteQuietly(tmp);
                throw e;
            }
            // the name now means the new file: appends must go there, whatever fails next
            FileChannel old = channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channel.position(content.length);
            } catch (IOException e) {
                fail(e);
                throw e;
            } finally {
                closeQuietly(old);
            }
            fileBase = appended - content.length;
            directorySyncPending = true;
            try {
                syncDirectoryIfPending();
            } catch (IOException e) {
                // the old journal (which a crash might bring back) holds everything the new one does; the
                // fsync is retried before the next write is acknowledged as durable
                LOG.warn("Journal {}: the directory fsync after the trim failed ({}); it is retried before the next "
                        + "write is acknowledged as durable", file, e.toString());
            }
        } finally {
            changed.signalAll();
            lock.unlock();
        }
    }

    /** Flushes everything, stops the I/O thread and closes the file. Idempotent; not interruptible. */
    @Override
    public void close() {
        boolean healthy;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            healthy = failure == null;
        } finally {
            lock.unlock();
        }
        try {
            if (healthy) {
                flush();
            }
        } catch (AmlException e) {
            LOG.warn("Final flush of journal {} failed: {}", file, e.getMessage());
        }
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Uninterruptibly.join(io, TimeUnit.SECONDS.toMillis(10));
        closeQuietly(channel);
    }

    private boolean hasWork() {
        return appended > written || (durability != Durability.NONE && appended > durable)
                || forceRequested > durable;
    }

    /**
     * Runs the I/O loop; if it dies of anything unexpected (an unchecked exception, an error), the
     * writer fails so that waiting writers get an error instead of waiting forever.
     */
    private void runIo() {
        try {
            ioLoop();
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                fail(new IOException("the journal's I/O thread stopped unexpectedly: " + e, e));
            } finally {
                lock.unlock();
            }
            LOG.error("Journal {}: the I/O thread stopped unexpectedly; the store refuses further writes", file, e);
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    private void ioLoop() {
        while (true) {
            FutureTask<Void> task;
            byte[] buf;
            int len;
            List<ByteBuffer> large;
            long end;
            boolean force;
            lock.lock();
            try {
                while (trimTask == null && !closed && failure == null && !hasWork()) {
                    ioIdle = true;
                    work.awaitUninterruptibly();
                }
                ioIdle = false;
                task = trimTask;
                trimTask = null;
                if (task == null && (failure != null || !hasWork())) {
                    return; // failed, or closed with everything written
                }
                buf = pending;
                len = pendingLength;
                large = queued;
                end = appended;
                force = durability != Durability.NONE || forceRequested > durable;
                if (task == null) {
                    pending = spare;
                    pendingLength = 0;
                    queued = new ArrayList<>();
                }
            } finally {
                lock.unlock();
            }
            if (task != null) {
                task.run(); // a trim fails by itself if the writer has failed
                continue;
            }
            IOException error = null;
            try {
                writeQueued(large);
                writeFully(buf, len);
                if (force) {
                    forceChannel();
                }
            } catch (IOException e) {
                error = e;
            } finally {
                large.clear(); // a prune's batch is garbage once written, not held while this thread waits
            }
            lock.lock();
            try {
                spare = buf.length > RETAINED_BUFFER ? new byte[INITIAL_BUFFER] : buf;
                if (error != null) {
                    fail(error);
                    LOG.error("Journal {} cannot be written; the store refuses further writes: {}", file,
                            error.toString());
                } else {
                    written = end;
                    if (force) {
                        durable = end;
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** I/O thread only. */
    private void forceChannel() throws IOException {
        syncDirectoryIfPending();
        channel.force(false);
    }

    /** I/O thread only. */
    private void syncDirectoryIfPending() throws IOException {
        if (directorySyncPending) {
            ops.fsyncDirectory(FileOps.directoryOf(file));
            directorySyncPending = false;
        }
    }

    /** Caller holds the lock. */
    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        changed.signalAll();
        work.signalAll();
    }

    private void writeFully(byte[] buf, int len) throws IOException {
        DurableFiles.writeFully(channel, buf, len);
    }

    /** I/O thread only: each array (all of them start at 0) in order. */
    private void writeQueued(List<ByteBuffer> arrays) throws IOException {
        for (ByteBuffer b : arrays) {
            writeFully(b.array(), b.limit());
        }
    }

    /**
     * @throws AmlException if an earlier write failed, so nothing can be made durable any more
     * @throws IllegalStateException if the writer is closed
     */
    public void ensureUsable() {
        lock.lock();
        try {
            checkUsable();
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("The journal " + file + " is closed");
        }
        checkFailure();
    }

    private void checkFailure() {
        IOException f = failure;
        if (f != null) {
            throw new AmlException("Writing the journal " + file + " failed (" + f
                    + "); the store refuses further writes because it can no longer make them durable. "
                    + "Writes acknowledged before the failure are safe. Fix the disk problem (space, permissions) "
                    + "and reopen the store.", f);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.warn("Closing a journal channel failed: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale temp file is harmless: the next trim replaces it
        }
    }

    /** @return the journal file */
    public Path file() {
        return file;
    }

    /**
     * @param file a journal file
     * @return its bytes, empty if it does not exist
     * @throws IOException if it exists but cannot be read
     */
    public static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return new byte[0];
        }
    }
}
