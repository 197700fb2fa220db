package dev.aml.store.internal;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.loom.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The one-writer-per-tree lock: an exclusive {@link FileLock} on {@code global/aml.lock}. The holder
 * writes its pid into the file so that a refused process can say who holds it. The OS releases the
 * lock when the holder dies, so a crash never leaves a stale lock behind.
 */
public final class TreeLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private TreeLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting up to {@code timeout} for another holder to let go.
     *
     * @param file the lock file
     * @param timeout how long to wait; zero fails at once
     * @param clock the clock measuring the wait
     * @return the held lock
     * @throws ConcurrentOperationException if another process (or another store in this process) holds it
     */
    public static TreeLock acquire(Path file, Duration timeout, Clock clock) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), DurableFiles.privateFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the lock file " + file + ": " + e, e);
        }
        Instant deadline = clock.instant().plus(timeout);
        try {
            while (true) {
                String inProcess = null;
                FileLock l = null;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    inProcess = " (another store in this process)";
                }
                if (l != null) {
                    writeHolder(ch, clock);
                    return new TreeLock(file, ch, l);
                }
                if (!clock.instant().isBefore(deadline)) {
                    String holder = holder(ch);
                    throw new ConcurrentOperationException("The memory tree is locked by another writer"
                            + (holder == null ? "" : " (" + holder + ")") + (inProcess == null ? "" : inProcess)
                            + ": lock file " + file + (timeout.isZero() ? "" : ", waited " + timeout)
                            + ". Only one process may write a tree at a time; stop the other process, open this one "
                            + "read-only, or wait with lockTimeout(...).");
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20); // polling the OS lock; there is no blocking tryLock with timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConcurrentOperationException("Interrupted while waiting for the lock " + file, e);
                }
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("Cannot lock " + file + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void writeHolder(FileChannel ch, Clock clock) throws IOException {
        String text = "pid " + ProcessHandle.current().pid() + " since " + clock.instant() + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
    }

    private static @Nullable String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(200);
            int n = ch.read(buf, 0);
            if (n <= 0) {
                return null;
            }
            String text = new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : "held by " + text;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** @return the lock file */
    public Path file() {
        return file;
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }
}
