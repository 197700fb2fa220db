package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.internal.relevance.DocKey;
import dev.aml.core.internal.relevance.VectorIndex;
import dev.aml.core.relevance.VectorSnapshot;
import dev.aml.embeddings.VectorSidecar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Exact cosine top 10 over {@code size} random 384-dimension unit vectors (one thread, one core's
 * work), against a naive single-accumulator loop as the baseline; and loading the vector sidecar of
 * that many items (decode with checksum, then install into the index).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class VectorBenchmark {

    @Param({"100000"})
    public int size;

    @Param({"384"})
    public int dimension;

    private VectorIndex index;
    private float[] flat;
    private float[][] queries;
    private int next;
    private Path dir;
    private VectorSidecar sidecar;
    private Map<String, DocKey> known;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        index = new VectorIndex(dimension);
        List<String> keys = new ArrayList<>(size);
        long[] hashes = new long[size];
        known = new HashMap<>();
        float[] v = new float[dimension];
        for (int i = 0; i < size; i++) {
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) rnd.nextGaussian();
            }
            DocKey key = new DocKey(AgentId.of("agent" + (i % 4)), ItemKind.PATTERN, "p" + i);
            index.put(key, i, v);
            keys.add(key.external());
            known.put(key.external(), key);
            hashes[i] = i;
        }
        VectorSnapshot snap = index.snapshot("bench");
        flat = snap.vectors();
        queries = new float[16][];
        for (int q = 0; q < queries.length; q++) {
            float[] x = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                x[d] = (float) rnd.nextGaussian();
            }
            queries[q] = VectorIndex.normalized(x);
        }
        dir = Files.createTempDirectory("aml-vectors");
        sidecar = VectorSidecar.in(dir);
        sidecar.save(snap);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(sidecar.file());
        Files.deleteIfExists(sidecar.file().getParent());
        Files.deleteIfExists(dir);
    }

    /** @return the exact cosine top 10 */
    @Benchmark
    public List<VectorIndex.Hit> cosineTop10() {
        return index.topK(queries[next++ & 15], 10);
    }

    /** @return the baseline: a naive dot-product loop over the same vectors, keeping only the best */
    @Benchmark
    public int naiveScanBest() {
        float[] q = queries[next++ & 15];
        float best = Float.NEGATIVE_INFINITY;
        int at = -1;
        for (int s = 0; s < size; s++) {
            float dot = 0;
            int off = s * dimension;
            for (int d = 0; d < dimension; d++) {
                dot += q[d] * flat[off + d];
            }
            if (dot > best) {
                best = dot;
                at = s;
            }
        }
        return at;
    }

    /** @return the sidecar decoded (read, checksum, parse) */
    @Benchmark
    @Measurement(iterations = 5, time = 3)
    public VectorSnapshot sidecarDecode() {
        return sidecar.load().orElseThrow(() -> new UncheckedIOException(new IOException("sidecar missing")));
    }

    /** @return the sidecar decoded and installed into a fresh index: what opening a retrieval costs */
    @Benchmark
    @Measurement(iterations = 5, time = 3)
    public VectorIndex sidecarLoadIntoIndex() {
        VectorIndex fresh = new VectorIndex(dimension);
        fresh.load(sidecar.load().orElseThrow(), known);
        return fresh;
    }
}
