package dev.aml.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A progress line on stderr for operations that take more than a second, shown only when stderr is
 * a terminal (so pipes, cron mails and {@code --json} consumers never see it). Nothing is printed for
 * an operation that finishes within the first second.
 *
 * <pre>{@code
 * try (Progress p = progress("Pruning")) {
 *     report = aml.prune(config).execute();
 * }
 * }</pre>
 *
 * <p>Set {@code AML_PROGRESS=always} or {@code never} to override the terminal detection.
 */
final class Progress implements AutoCloseable {

    private static final Progress NONE = new Progress(null, "", null, System::nanoTime);

    private final @Nullable PrintWriter err;
    private final String label;
    private final @Nullable ScheduledExecutorService ticker;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final @Nullable ScheduledFuture<?> task;
    private boolean shown;
    private boolean closed;

    Progress(@Nullable PrintWriter err, String label, @Nullable ScheduledExecutorService ticker, LongSupplier nanoTime) {
        this.err = err;
        this.label = label;
        this.ticker = ticker;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.task = ticker == null ? null : ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * @param err standard error
     * @param label what is running, e.g. {@code "Pruning"}
     * @return a progress line when stderr is a terminal, else one that prints nothing
     */
    static Progress start(PrintWriter err, String label) {
        if (!enabled()) {
            return NONE;
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aml-progress");
            t.setDaemon(true);
            return t;
        });
        return new Progress(err, label, ticker, System::nanoTime);
    }

    /** @return whether progress lines are shown in this process */
    static boolean enabled() {
        String mode = System.getenv("AML_PROGRESS");
        if ("always".equalsIgnoreCase(mode)) {
            return true;
        }
        if ("never".equalsIgnoreCase(mode)) {
            return false;
        }
        return System.console() != null;
    }

    synchronized void tick() {
        if (closed || err == null) {
            return;
        }
        shown = true;
        err.print("\r" + label + "... " + elapsed());
        err.flush();
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (nanoTime.getAsLong() - startNanos) / 1e9);
    }

    /** Stops the ticker; when a line was shown, finishes it with the total time. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (shown && err != null) {
            err.println("\r" + label + ": done in " + elapsed());
            err.flush();
        }
    }
}
