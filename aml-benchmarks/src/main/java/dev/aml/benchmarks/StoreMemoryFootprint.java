package dev.aml.benchmarks;

import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the heap a {@link FileMemoryStore} holds per pattern (not a JMH benchmark: a one-shot
 * measurement of retained memory). Writes a tree of N typical Loom patterns (the
 * {@link LoomFixtures} shape, about 700 bytes of JSON each), opens it, and compares the used heap
 * after full GCs before and after.
 *
 * <p>Run: {@code java -Xmx8g -cp aml-benchmarks/target/benchmarks.jar dev.aml.benchmarks.StoreMemoryFootprint 1000000}
 */
public final class StoreMemoryFootprint {

    private StoreMemoryFootprint() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int patterns = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("aml-footprint");
        try {
            Path root = dir.resolve("memory");
            StoreBenchmarks.writeTree(root, patterns, 10);
            long fileBytes;
            try (Stream<Path> files = Files.walk(root)) {
                fileBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            long before = usedAfterGc();
            long start = System.nanoTime();
            FileMemoryStore store = FileMemoryStore.builder(root).readOnly(true).open();
            long openMillis = (System.nanoTime() - start) / 1_000_000;
            long after = usedAfterGc();
            System.out.printf(Locale.ROOT, "patterns=%d fileBytes=%d (%.0f B/pattern on disk) open=%d ms%n",
                    patterns, fileBytes, (double) fileBytes / patterns, openMillis);
            System.out.printf(Locale.ROOT, "heap retained=%d bytes = %.0f bytes/pattern%n", after - before,
                    (double) (after - before) / patterns);
            System.out.println("agents=" + store.agents().size()); // keeps the store reachable until here
            store.close();
        } finally {
            StoreBenchmarks.deleteTree(dir);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
