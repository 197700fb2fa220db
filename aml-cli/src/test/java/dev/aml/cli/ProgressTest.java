package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void printsNothingForAnOperationThatNeverReachedTheFirstTick() {
        StringWriter sw = new StringWriter();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(sw, true), "Pruning", ticker, now::get);
        now.addAndGet(500_000_000L);
        p.close();
        assertThat(sw.toString()).isEmpty();
        assertThat(ticker.isShutdown()).isTrue();
    }

    @Test
    void showsElapsedTimeOnTicksAndFinishesTheLine() {
        StringWriter sw = new StringWriter();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(sw, true), "Pruning", ticker, now::get);
        now.set(1_000_000_000L);
        p.tick();
        now.set(2_500_000_000L);
        p.close();
        p.tick();
        assertThat(sw.toString()).isEqualTo("\rPruning... 1.0 s\rPruning: done in 2.5 s" + System.lineSeparator());
    }
}
