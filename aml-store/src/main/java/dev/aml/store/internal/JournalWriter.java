package dev.aml.store.internal;

import dev.aml.core.AmlException;
import dev.aml.core.Durability;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends framed entries to the journal file with group commit.
 *
 * <h2>Design</h2>
 * Writers {@link #append} entries to an in-memory buffer (in sequence order: the store calls it
 * under its write lock) and get back a logical position. Making them durable is separate:
 * {@link #sync} elects one waiting thread as leader, which takes everything buffered so far, writes
 * it and fsyncs once while the others wait; so N concurrent SYNC writers cost about one fsync, not
 * N. For {@link Durability#BATCH} a background flusher does the same as soon as data is buffered,
 * so a write is on disk within one fsync time (a few milliseconds); {@link Durability#NONE} only
 * writes to the OS and fsyncs at {@link #flush()}/close.
 *
 * <p>Positions are logical byte counts since the writer was opened; they survive
 * {@link #trim}, which rewrites the file (temp + fsync + rename) keeping only a new first entry and
 * the entries after a given position. After any I/O failure the writer refuses further appends:
 * the store cannot promise durability any more and says so instead of pretending.
 */
public final class JournalWriter implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

    private final Path file;
    private final Durability durability;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition work = lock.newCondition();
    private boolean flusherIdle;
    private FileChannel channel;
    private byte[] pending = new byte[64 * 1024];
    private byte[] spare = new byte[64 * 1024];
    private int pendingLength;
    private volatile long appended;
    private long written;
    private long durable;
    private volatile long fileBase;
    private boolean flushing;
    private boolean closed;
    private @Nullable IOException failure;
    private final @Nullable Thread flusher;

    private JournalWriter(Path file, FileChannel channel, long size, Durability durability) {
        this.file = file;
        this.channel = channel;
        this.durability = durability;
        this.appended = size;
        this.written = size;
        this.durable = size;
        if (durability == Durability.SYNC) {
            flusher = null;
        } else {
            flusher = new Thread(this::flushLoop, "aml-journal-flusher " + file);
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    /**
     * Opens the journal for appending, cutting off a torn tail.
     *
     * @param file the journal file
     * @param validLength bytes to keep (0 writes a fresh header)
     * @param durability when appends become durable
     * @return the writer
     * @throws IOException if the file cannot be opened or repaired
     */
    public static JournalWriter open(Path file, long validLength, Durability durability) throws IOException {
        FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), TreeFiles.privateFile());
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
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && size == 0) {
                TreeFiles.fsyncDirectory(dir);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new JournalWriter(file, ch, validLength, durability);
    }

    /**
     * Buffers one framed entry. Callers append in sequence order.
     *
     * @param entry the entry bytes
     * @return the logical position just after it, for {@link #sync}
     * @throws AmlException if an earlier write failed or the writer is closed
     */
    public long append(byte[] entry) {
        lock.lock();
        try {
            checkUsable();
            if (pendingLength + entry.length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + entry.length));
            }
            System.arraycopy(entry, 0, pending, pendingLength, entry.length);
            pendingLength += entry.length;
            appended += entry.length;
            if (flusherIdle) {
                flusherIdle = false;
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
     * Waits until everything up to {@code position} is written (and fsynced if {@code force}).
     * One waiting thread does the I/O for all (group commit).
     *
     * @param position a position {@link #append} returned
     * @param force whether to wait for fsync
     * @throws AmlException if writing or fsync fails
     */
    public void sync(long position, boolean force) {
        lock.lock();
        try {
            while (true) {
                checkFailure();
                if ((force ? durable : written) >= position) {
                    return;
                }
                if (flushing) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                byte[] buf = pending;
                int len = pendingLength;
                long end = appended;
                pending = spare;
                pendingLength = 0;
                lock.unlock();
                IOException error = null;
                try {
                    writeFully(buf, len);
                    if (force) {
                        channel.force(false);
                    }
                } catch (IOException e) {
                    error = e;
                } finally {
                    lock.lock();
                }
                spare = buf;
                flushing = false;
                if (error != null) {
                    failure = error;
                    changed.signalAll();
                    work.signalAll();
                    checkFailure();
                }
                written = end;
                if (force) {
                    durable = end;
                }
                changed.signalAll();
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
     * before the rename the old journal stays as it was.
     *
     * @param firstEntry a framed entry to put first (the checkpoint record)
     * @param from the logical position of the first entry to keep
     * @throws IOException if the rewrite fails
     */
    public void trim(byte[] firstEntry, long from) throws IOException {
        lock.lock();
        try {
            while (flushing) {
                changed.awaitUninterruptibly();
            }
            checkUsable();
            writeFully(pending, pendingLength);
            pendingLength = 0;
            channel.force(false);
            written = appended;
            durable = appended;
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
            TreeFiles.writeDurably(tmp, content);
            TreeFiles.commit(tmp, file);
            FileChannel old = channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channel.position(content.length);
            } catch (IOException e) {
                failure = e;
                throw e;
            } finally {
                old.close();
            }
            fileBase = appended - content.length;
        } finally {
            changed.signalAll();
            lock.unlock();
        }
    }

    /** Flushes everything, stops the flusher and closes the file. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        IOException error = null;
        try {
            if (failure == null) {
                flush();
            }
        } catch (AmlException e) {
            LOG.warn("Final flush of journal {} failed: {}", file, e.getMessage());
        }
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        if (flusher != null) {
            try {
                flusher.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            error = e;
        }
        if (error != null) {
            LOG.warn("Closing journal {} failed: {}", file, error.toString());
        }
    }

    private void flushLoop() {
        boolean force = durability == Durability.BATCH;
        while (true) {
            long target;
            lock.lock();
            try {
                while (!closed && failure == null && appended == (force ? durable : written)) {
                    flusherIdle = true;
                    work.awaitUninterruptibly();
                }
                flusherIdle = false;
                if (closed || failure != null) {
                    return;
                }
                target = appended;
            } finally {
                lock.unlock();
            }
            try {
                sync(target, force);
            } catch (AmlException e) {
                LOG.error("Journal {} cannot be written; the store refuses further writes: {}", file, e.getMessage());
                return;
            }
        }
    }

    private void writeFully(byte[] buf, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("The journal " + file + " is closed");
        }
        checkFailure();
    }

    private void checkFailure() {
        if (failure != null) {
            throw new AmlException("Writing the journal " + file + " failed (" + failure
                    + "); the store refuses further writes because it can no longer make them durable. "
                    + "Writes acknowledged before the failure are safe. Fix the disk problem (space, permissions) "
                    + "and reopen the store.", failure);
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
