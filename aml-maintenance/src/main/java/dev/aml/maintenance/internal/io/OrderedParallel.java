package dev.aml.maintenance.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one piece of work per file on a few threads and hands the results back in input order, on
 * the calling thread.
 *
 * <h2>Why, and the rules it keeps</h2>
 * A backup, a verify or a prune's archiving is per-file work that is almost all CPU (SHA-256, deflate, inflate) on
 * independent files; one thread leaves the other cores idle while an operator waits. This class
 * spreads that work and keeps everything else as it was:
 * <ul>
 *   <li><b>Order</b>: results are consumed in input order, on the caller's thread. Whatever the
 *       consumer does (progress lines, the manifest map, the change detector's counters) stays
 *       single-threaded and deterministic.</li>
 *   <li><b>Memory</b>: at most {@code threads} inputs are worked on at once, and work returns a
 *       small result (hashes, sizes, a problem), never a file's bytes; so peak memory is a few files'
 *       bytes, not the tree's. Finished results wait for the consumer, up to {@link #AHEAD_PER_THREAD}
 *       per thread: one big file at the head of the list (a patterns file three times the size of the
 *       next ones) does not leave the other workers idle until it is done.</li>
 *   <li><b>Errors</b>: the first failure (in input order) is rethrown as it was ({@link IOException}
 *       or unchecked); work not yet started is cancelled and the threads are stopped before this
 *       method returns, so nothing keeps writing after a failure is reported.</li>
 *   <li><b>Small inputs</b> and a thread count of one (CPU-bound work on a one-core machine) run
 *       inline on the caller's thread: no pool.</li>
 * </ul>
 */
public final class OrderedParallel {

    /** Work on one input that may fail with an I/O error. */
    @FunctionalInterface
    public interface Work<I, R> {
        R apply(I input) throws IOException;
    }

    /** Takes each result, in input order, on the calling thread. */
    @FunctionalInterface
    public interface Sink<I, R> {
        void accept(I input, R result) throws IOException;
    }

    /**
     * How many inputs per worker may be submitted ahead of the one the consumer waits for. Results
     * are small, so this bounds little memory; it is large enough that the other workers keep going
     * while one works through an input many times the size of the next ones (with a window of
     * {@code threads + 1}, a prune's two backup workers each idled about 100 ms of every 250 behind
     * the patterns files; benchmarks/RESULTS.md, issue 16).
     */
    static final int AHEAD_PER_THREAD = 8;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private OrderedParallel() {
    }

    /** @return the number of worker threads for CPU-bound per-file work on this machine (1 to 8) */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @return the number of worker threads for per-file work that also waits for the disk (a backup's
     *     payloads are forced and read back): one more than the cores, so a core whose worker waits
     *     for an fsync has another file to compress meanwhile
     */
    public static int threadsWithDiskWaits() {
        return Math.min(9, defaultThreads() + 1);
    }

    /**
     * @param name what the threads are called ({@code aml-<name>-<pool>-<n>})
     * @param threads how many workers; 1 runs everything inline
     * @param inputs the inputs, in the order their results are consumed
     * @param work what to do with one input (on a worker)
     * @param sink what to do with its result (on this thread, in input order)
     * @throws IOException the first failure of {@code work} or {@code sink}, as thrown
     */
    public static <I, R> void run(String name, int threads, List<I> inputs, Work<I, R> work, Sink<I, R> sink)
            throws IOException {
        if (threads <= 1 || inputs.size() <= 1) {
            for (I in : inputs) {
                sink.accept(in, work.apply(in));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, inputs.size()), factory(name));
        try {
            ArrayDeque<Future<R>> inFlight = new ArrayDeque<>();
            int next = 0;
            int window = threads * AHEAD_PER_THREAD;
            for (int consumed = 0; consumed < inputs.size(); consumed++) {
                while (next < inputs.size() && inFlight.size() < window) {
                    I in = inputs.get(next++);
                    inFlight.add(pool.submit(() -> {
                        try {
                            return work.apply(in);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                }
                R result = await(inFlight.removeFirst());
                sink.accept(inputs.get(consumed), result);
            }
        } finally {
            pool.shutdownNow();
            awaitStopped(pool);
        }
    }

    private static <R> R await(Future<R> f) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the work is bounded; finish it so no file is left half-written
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("Unexpected failure of per-file work: " + c, c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitStopped(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory factory(String name) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "aml-" + name + "-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
