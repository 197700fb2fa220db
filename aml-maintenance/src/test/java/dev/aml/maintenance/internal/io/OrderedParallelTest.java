package dev.aml.maintenance.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrderedParallelTest {

    private static final List<Integer> INPUTS = IntStream.range(0, 200).boxed().toList();

    @Test
    void resultsArriveInInputOrderOnTheCallingThreadWhateverOrderTheWorkersFinish() throws IOException {
        Thread caller = Thread.currentThread();
        List<Integer> seen = new ArrayList<>();
        Names workers = new Names();
        OrderedParallel.run("test", 4, INPUTS, i -> {
            workers.add(Thread.currentThread().getName());
            if (i % 7 == 0) {
                Thread.onSpinWait();
                sleep(2); // some finish late, after later inputs
            }
            return i * 10;
        }, (in, out) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(out).isEqualTo(in * 10);
            seen.add(in);
        });
        assertThat(seen).isEqualTo(INPUTS);
        assertThat(workers.names).allMatch(n -> n.startsWith("aml-test-"));
    }

    @Test
    void neverWorksOnMoreInputsAtOnceThanThereAreThreads() throws IOException {
        AtomicInteger working = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        OrderedParallel.run("test", 3, INPUTS, i -> {
            most.accumulateAndGet(working.incrementAndGet(), Math::max);
            try {
                return i;
            } finally {
                working.decrementAndGet();
            }
        }, (in, out) -> { });
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void aSlowInputAtTheHeadDoesNotStopTheOtherWorkers() throws IOException {
        // the head waits until the other worker has finished five later inputs: with a window of
        // threads + 1 that worker would stop after two, and the head would give up waiting
        int later = 5;
        CountDownLatch othersDone = new CountDownLatch(later);
        boolean[] headSawThemDone = {false};
        OrderedParallel.run("test", 2, INPUTS.subList(0, 1 + later), i -> {
            if (i == 0) {
                try {
                    headSawThemDone[0] = othersDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                othersDone.countDown();
            }
            return i;
        }, (in, out) -> { });
        assertThat(headSawThemDone[0]).as("later inputs finished while the head was worked on").isTrue();
    }

    @Test
    void finishedResultsWaitingForTheConsumerAreBounded() throws IOException {
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();
        int[] consumed = {0};
        OrderedParallel.run("test", 2, INPUTS, i -> {
            int waiting = finished.incrementAndGet() - consumedSoFar(consumed);
            mostWaiting.accumulateAndGet(waiting, Math::max);
            return i;
        }, (in, out) -> {
            sleep(1); // a slow consumer
            synchronized (consumed) {
                consumed[0]++;
            }
        });
        assertThat(mostWaiting.get()).isBetween(1, 2 * OrderedParallel.AHEAD_PER_THREAD);
    }

    private static int consumedSoFar(int[] consumed) {
        synchronized (consumed) {
            return consumed[0];
        }
    }

    @Test
    void theFirstFailureInInputOrderIsRethrownAsThrownAndLaterWorkIsNotConsumed() {
        List<Integer> consumed = new ArrayList<>();
        assertThatThrownBy(() -> OrderedParallel.run("test", 4, INPUTS, i -> {
            if (i == 50) {
                throw new IOException("disk full at 50");
            }
            if (i == 60) {
                throw new IllegalStateException("later failure");
            }
            return i;
        }, (in, out) -> consumed.add(in))).isInstanceOf(IOException.class).hasMessage("disk full at 50");
        assertThat(consumed).isEqualTo(INPUTS.subList(0, 50));
    }

    @Test
    void noWorkerRunsAfterAFailureIsReported() {
        AtomicInteger running = new AtomicInteger();
        assertThatThrownBy(() -> OrderedParallel.run("test", 4, INPUTS, i -> {
            running.incrementAndGet();
            try {
                if (i == 3) {
                    throw new IllegalArgumentException("bad input 3");
                }
                sleep(1);
                return i;
            } finally {
                running.decrementAndGet();
            }
        }, (in, out) -> { })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input 3");
        assertThat(running.get()).as("workers still running after run() returned").isZero();
    }

    @Test
    void aSinkFailureStopsTheRun() {
        assertThatThrownBy(() -> OrderedParallel.run("test", 2, INPUTS, i -> i, (in, out) -> {
            if (in == 10) {
                throw new IOException("cannot record 10");
            }
        })).isInstanceOf(IOException.class).hasMessage("cannot record 10");
    }

    @Test
    void oneThreadRunsInlineOnTheCaller() throws IOException {
        Thread caller = Thread.currentThread();
        List<Integer> seen = new ArrayList<>();
        OrderedParallel.run("test", 1, INPUTS, i -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return i;
        }, (in, out) -> seen.add(out));
        assertThat(seen).isEqualTo(INPUTS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thread names seen by the workers. */
    private static final class Names {
        final java.util.Set<String> names = ConcurrentHashMap.newKeySet();

        void add(String name) {
            names.add(name);
        }
    }
}
