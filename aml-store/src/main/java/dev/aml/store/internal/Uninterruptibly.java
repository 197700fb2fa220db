package dev.aml.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Hands work to a thread the store owns and waits for it without reacting to interrupts.
 *
 * <p>Why: interrupting a thread that is inside {@link java.nio.channels.FileChannel} I/O closes
 * the channel ({@link java.nio.channels.ClosedByInterruptException}), for every thread that shares
 * it. The store therefore never does channel I/O on a caller's thread: the caller queues the work
 * on an owned thread (which nobody interrupts) and waits here. An interrupt that arrives while
 * waiting is remembered and the thread's interrupt flag is set again before returning, so the
 * caller still sees it at its next blocking call; the store's operation itself completes.
 */
public final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /** Work that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoCallable<T> {
        /**
         * @return the result
         * @throws IOException if the I/O fails
         */
        T call() throws IOException;
    }

    /**
     * Runs {@code task} on {@code executor} and waits for it uninterruptibly.
     *
     * @param <T> the result type
     * @param executor an executor whose threads the store owns
     * @param task the work
     * @return its result
     * @throws IOException as thrown by the task
     * @throws java.util.concurrent.RejectedExecutionException if the executor was shut down
     */
    public static <T> T call(Executor executor, IoCallable<T> task) throws IOException {
        FutureTask<T> future = new FutureTask<>(() -> {
            try {
                return task.call();
            } catch (IOException e) {
                throw new IoFailure(e);
            }
        });
        executor.execute(future);
        return await(future);
    }

    /**
     * Carries an {@link IOException} of a task across the executor (an {@link UncheckedIOException}
     * the task throws itself stays what it is).
     */
    public static final class IoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param cause the task's exception */
        public IoFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * Waits for a future uninterruptibly and unwraps its failure.
     *
     * @param <T> the result type
     * @param future the future
     * @return its result
     * @throws IOException if the work failed with one (wrapped as {@link IoFailure} inside)
     */
    public static <T> T await(Future<T> future) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IoFailure io) {
                        throw io.getCause();
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A wait with a timeout that may be interrupted, such as {@link Thread#join(long)}. */
    @FunctionalInterface
    private interface TimedWait {
        /**
         * @param nanos the longest wait, at least 0
         * @return whether the awaited state was reached
         */
        boolean await(long nanos) throws InterruptedException;
    }

    /** Repeats {@code wait} after interrupts until it succeeds or {@code millis} have passed; restores the flag. */
    private static boolean until(long millis, TimedWait wait) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return wait.await(Math.max(0, deadline - System.nanoTime()));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for a thread to end, uninterruptibly, for at most {@code millis}.
     *
     * @param thread the thread
     * @param millis the longest wait
     * @return whether it ended
     */
    public static boolean join(Thread thread, long millis) {
        return until(millis, nanos -> {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            return !thread.isAlive();
        });
    }

    /**
     * Waits for an executor that was shut down to finish its queued work, uninterruptibly.
     *
     * @param executor the executor
     * @param millis the longest wait
     * @return whether it terminated
     */
    public static boolean awaitTermination(ExecutorService executor, long millis) {
        return until(millis, nanos -> executor.awaitTermination(nanos, TimeUnit.NANOSECONDS));
    }
}
