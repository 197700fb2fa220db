package dev.aml.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.ItemKind;
import dev.aml.loom.LoomJson;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a Loom {@code patterns.json} array: Jackson databind building a full tree (the baseline,
 * what a naive reader does) against a streaming parse that extracts the fields ranking needs
 * (id, success rate, confidence). Both consume every byte of the same input. {@code loomJsonRecords}
 * is the store's own decoder producing full pattern records; {@code loomJsonSolutions} and
 * {@code loomJsonDecisions} decode {@code patterns / 3} solutions and decisions of the shape
 * {@link LoomTreeGenerator} writes (one agent's files of its tree).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonDecodeBenchmark {

    @Param({"1000", "10000"})
    public int patterns;

    private byte[] json;
    private byte[] solutions;
    private byte[] decisions;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = new JsonFactory();

    @Setup
    public void setUp() {
        json = LoomFixtures.patternsJson(patterns, 42);
        Instant now = Instant.parse("2026-12-07T00:00:00Z");
        solutions = LoomTreeGenerator.itemsJson(ItemKind.SOLUTION, patterns / 3, 42, now);
        decisions = LoomTreeGenerator.itemsJson(ItemKind.DECISION, patterns / 3, 42, now);
    }

    /**
     * Baseline: the whole array as a databind tree.
     *
     * @return a checksum so the work cannot be eliminated
     * @throws IOException never for the generated input
     */
    @Benchmark
    public double databindTree() throws IOException {
        JsonNode root = mapper.readTree(json);
        double sum = 0;
        for (JsonNode item : root) {
            sum += item.path("metrics").path("successRate").asDouble()
                    + item.path("evolution").path("confidenceScore").asDouble()
                    + item.path("id").asText().length();
        }
        return sum;
    }

    /**
     * Streaming parse pulling out the ranking fields only.
     *
     * @return a checksum so the work cannot be eliminated
     * @throws IOException never for the generated input
     */
    @Benchmark
    public double streaming() throws IOException {
        double sum = 0;
        try (JsonParser p = factory.createParser(json)) {
            int depth = 0;
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> field = p.currentName();
                    case VALUE_NUMBER_FLOAT -> {
                        if ("successRate".equals(field) || "confidenceScore".equals(field)) {
                            sum += p.getDoubleValue();
                        }
                    }
                    case VALUE_STRING -> {
                        if (depth == 2 && "id".equals(field)) {
                            sum += p.getTextLength();
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return sum;
    }

    /**
     * The store's decoder: every element into a full {@link dev.aml.core.Pattern} record (what
     * opening a tree does per file), against the tree baseline that only builds the tree.
     *
     * @return the number of patterns, so the work cannot be eliminated
     */
    @Benchmark
    public int loomJsonRecords() {
        return LoomJson.defaults().read(json, ItemKind.PATTERN, "patterns.json").size();
    }

    /**
     * The store's decoder on {@code patterns / 3} solutions.
     *
     * @return the number of solutions, so the work cannot be eliminated
     */
    @Benchmark
    public int loomJsonSolutions() {
        return LoomJson.defaults().read(solutions, ItemKind.SOLUTION, "solutions.json").size();
    }

    /**
     * The store's decoder on {@code patterns / 3} decisions.
     *
     * @return the number of decisions, so the work cannot be eliminated
     */
    @Benchmark
    public int loomJsonDecisions() {
        return LoomJson.defaults().read(decisions, ItemKind.DECISION, "decisions.json").size();
    }
}
