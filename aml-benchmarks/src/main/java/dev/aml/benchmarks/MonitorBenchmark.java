package dev.aml.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.Monitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Monitoring of a Loom tree of {@code patterns} patterns over 10 agents.
 *
 * <ul>
 *   <li>{@code parseEveryFile} (baseline): read and parse every agent's {@code patterns.json} into a
 *       Jackson tree, the least work an honest {@code file_integrity} check can do;</li>
 *   <li>{@code metrics}: {@code monitor.metrics()} (scan, parse, sizes, pattern signals, history and
 *       alerts written);</li>
 *   <li>{@code health}: {@code monitor.health()} (the same plus the six checks and {@code health.json}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MonitorBenchmark {

    static final int AGENTS = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Param({"10000", "100000"})
    public int patterns;

    Path dir;
    Path root;
    MemoryManager aml;
    Monitor monitor;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("aml-monitor-bench");
        root = dir.resolve("memory");
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        for (int a = 0; a < AGENTS; a++) {
            Path agent = Files.createDirectories(root.resolve("agent-" + a));
            Files.write(agent.resolve("patterns.json"), LoomFixtures.patternsJson(patterns / AGENTS, a));
        }
        aml = MemoryManager.open(root);
        monitor = aml.monitor();
    }

    @TearDown
    public void tearDown() throws IOException {
        aml.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public long parseEveryFile() throws IOException {
        long n = 0;
        for (int a = 0; a < AGENTS; a++) {
            JsonNode tree = MAPPER.readTree(root.resolve("agent-" + a).resolve("patterns.json").toFile());
            n += tree.size();
        }
        return n;
    }

    @Benchmark
    public MetricsSnapshot metrics() {
        return monitor.metrics();
    }

    @Benchmark
    public HealthReport health() {
        return monitor.health();
    }
}
