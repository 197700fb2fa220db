package dev.aml.maintenance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Records what is scheduled; tests run the pending task by hand after moving their clock. */
final class FakeScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    record Pending(Runnable task, Duration delay, FakeFuture future) {
    }

    final List<Pending> pending = new ArrayList<>();

    /** Runs and removes the only pending task; fails if there is not exactly one. */
    void runPending() {
        List<Pending> live = pending.stream().filter(p -> !p.future().isCancelled()).toList();
        if (live.size() != 1) {
            throw new AssertionError("expected exactly one pending wake-up, found " + live.size());
        }
        pending.removeIf(p -> true);
        live.get(0).task().run();
    }

    Duration onlyDelay() {
        return pending.stream().filter(p -> !p.future().isCancelled()).reduce((a, b) -> {
            throw new AssertionError("more than one pending wake-up");
        }).orElseThrow().delay();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        FakeFuture f = new FakeFuture();
        pending.add(new Pending(command, Duration.ofNanos(unit.toNanos(delay)), f));
        return f;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("only schedule(Runnable, ...) is expected");
    }

    static final class FakeFuture implements ScheduledFuture<Object> {
        private boolean cancelled;

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

}
