package dev.aml.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Thread CPU time per operation of the relevance and vector benchmarks, for a machine too loaded for
 * wall-clock JMH numbers to mean much: a thread's CPU time does not include the time it waited for a
 * core. Same fixtures and operations as {@link RelevanceBenchmark} and {@link VectorBenchmark}; each
 * operation is warmed up, then timed over several rounds, and the best and median round are printed.
 * Run: {@code java -cp aml-benchmarks/target/benchmarks.jar dev.aml.benchmarks.RelevanceCpuTime}; the
 * argument {@code lexical} runs only the relevance rows (the vector rows take minutes).
 */
public final class RelevanceCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RelevanceCpuTime() {
    }

    private static void time(String name, int opsPerRound, IntConsumer op) {
        for (int i = 0; i < opsPerRound * 3; i++) {
            op.accept(i);
        }
        double[] rounds = new double[7];
        int next = 0;
        for (int r = 0; r < rounds.length; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < opsPerRound; i++) {
                op.accept(next++);
            }
            rounds[r] = (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / opsPerRound;
        }
        java.util.Arrays.sort(rounds);
        System.out.printf(Locale.ROOT, "%-28s best %10.2f us  median %10.2f us  (CPU time per op, %d ops x 7 rounds)%n",
                name, rounds[0], rounds[3], opsPerRound);
    }

    /** @param args {@code lexical} for the relevance rows only, else nothing */
    public static void main(String[] args) throws Exception {
        RelevanceBenchmark rel = new RelevanceBenchmark();
        rel.size = 100_000;
        rel.setUp();
        time("lexicalTop10", 2_000, i -> rel.lexicalTop10());
        time("relevanceQueryTop10", 20, i -> rel.relevanceQueryTop10());
        time("incrementalUpdatePerWrite", 20_000, i -> rel.incrementalUpdatePerWrite());
        time("storeLookupBaseline", 20_000, i -> rel.storeLookupBaseline());
        if (args.length > 0 && args[0].equals("lexical")) {
            return;
        }
        VectorBenchmark vec = new VectorBenchmark();
        vec.size = 100_000;
        vec.dimension = 384;
        vec.setUp();
        time("cosineTop10", 50, i -> vec.cosineTop10());
        time("naiveScanBest", 20, i -> vec.naiveScanBest());
        time("sidecarDecode", 5, i -> vec.sidecarDecode());
        time("sidecarLoadIntoIndex", 5, i -> vec.sidecarLoadIntoIndex());
        vec.tearDown();
    }
}
