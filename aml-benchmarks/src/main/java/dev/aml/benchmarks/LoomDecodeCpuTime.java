package dev.aml.benchmarks;

import dev.aml.core.ItemKind;
import dev.aml.loom.LoomJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Thread CPU time of decoding every item file of a memory tree with {@link LoomJson#read}, per kind,
 * round after round in one JVM: what opening the tree costs the {@code aml} CLI (issue 16). The first
 * round is the cold one the CLI pays; run it as the CLI runs, C1 only:
 * {@code java -XX:TieredStopAtLevel=1 -cp aml-benchmarks/target/benchmarks.jar
 * dev.aml.benchmarks.LoomDecodeCpuTime <tree>/memory [rounds=5]}, on a tree from
 * {@link LoomTreeGenerator}. The files are read into memory first; only decoding is timed.
 */
public final class LoomDecodeCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ItemKind[] KINDS = {ItemKind.PATTERN, ItemKind.SOLUTION, ItemKind.DECISION};

    private LoomDecodeCpuTime() {
    }

    /**
     * @param args {@code <memory-dir> [rounds]}
     * @throws IOException if the tree cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: LoomDecodeCpuTime <memory-dir> [rounds=5]");
        }
        Path memory = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<List<byte[]>> files = new ArrayList<>();
        long[] bytes = new long[KINDS.length];
        for (int k = 0; k < KINDS.length; k++) {
            List<byte[]> kind = new ArrayList<>();
            try (Stream<Path> agents = Files.list(memory)) {
                for (Path agent : agents.filter(Files::isDirectory).sorted().toList()) {
                    Path file = agent.resolve(KINDS[k].fileName());
                    if (Files.isRegularFile(file)) {
                        byte[] data = Files.readAllBytes(file);
                        kind.add(data);
                        bytes[k] += data.length;
                    }
                }
            }
            files.add(kind);
        }
        LoomJson json = LoomJson.defaults();
        double[][] ms = new double[KINDS.length][rounds];
        long items = 0;
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < KINDS.length; k++) {
                long start = THREADS.getCurrentThreadCpuTime();
                for (byte[] data : files.get(k)) {
                    items += json.read(data, KINDS[k], KINDS[k].fileName()).size();
                }
                ms[k][r] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        for (int k = 0; k < KINDS.length; k++) {
            double first = ms[k][0];
            double[] sorted = ms[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-15s %6.1f MB in %2d files: first %6.0f ms, best %6.0f ms, median %6.0f ms"
                    + " (CPU time per round, %d rounds)%n", KINDS[k].fileName(), bytes[k] / 1e6, files.get(k).size(),
                    first, sorted[0], sorted[rounds / 2], rounds);
        }
        System.out.println("items decoded: " + items);
    }
}
