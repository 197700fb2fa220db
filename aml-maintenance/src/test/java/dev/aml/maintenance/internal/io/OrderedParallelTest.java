package dev.aml.maintenance.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
    void neverHasMoreThanThreadsPlusOneInputsInFlight() throws IOException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        OrderedParallel.run("test", 3, INPUTS, i -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return i;
        }, (in, out) -> inFlight.decrementAndGet());
        assertThat(most.get()).isBetween(1, 4);
        assertThat(inFlight.get()).isZero();
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
