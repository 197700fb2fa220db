package dev.aml.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.loom.LoomJson;
import dev.aml.store.FileMemoryStore;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
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
 * The cost of going multi-host: the same operations on the PostgreSQL store, on the file store (one
 * host, default {@code BATCH} durability: journal appends fsynced in groups) and on the in-memory
 * store (the baseline: no I/O at all), same data, same run. {@code record} appends a new pattern;
 * {@code recordOutcome} is the SPI's atomic read-modify-write of one pattern with Loom's formulas;
 * {@code query} loads an agent's patterns and filters/ranks them (tag {@code http}, success rate
 * at least 0.6, top 10 by weight) — what a query costs when the cache is cold; {@code queryPushdown}
 * is the alternative design for PostgreSQL, the filter pushed into SQL on the typed columns
 * ({@code tags @> ARRAY['http'] AND success_rate >= 0.6}, GIN and b-tree indexes) so only matching
 * rows are decoded, ranking by weight (which depends on "now") still in Java — on the other stores it
 * is the same work as {@code query}; {@code versionCheck} is what a warm query cache pays per
 * query to know it is still valid.
 *
 * <p>PostgreSQL comes from the system properties {@code aml.bench.jdbc.url}, {@code .user},
 * {@code .password}, else from the environment {@code AML_TEST_JDBC_URL}, {@code _USER},
 * {@code _PASSWORD}; {@code eval "$(.ci/postgres.sh start)"} starts a local throwaway server that
 * sets them (fsync and synchronous_commit on, as in production). Each trial works in a fresh schema,
 * dropped afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcStoreBenchmark {

    private static final AgentId AGENT = AgentId.of("coder");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** Which store: {@code memory} (baseline), {@code file} or {@code postgres}. */
    @Param({"memory", "file", "postgres"})
    public String store;

    /** Patterns the agent has before the measurement. */
    @Param({"1000"})
    public int patterns;

    private MemoryStore target;
    private @Nullable HikariDataSource pool;
    private @Nullable String schema;
    private @Nullable Path tree;
    private final List<String> ids = new ArrayList<>();
    private final Random random = new Random(42);
    private final LoomJson json = LoomJson.defaults();
    private String pushdownSql = "";

    @Setup(Level.Trial)
    public void open() {
        if (store.equals("memory")) {
            target = MemoryStore.inMemory();
        } else if (store.equals("file")) {
            try {
                tree = Files.createTempDirectory("aml-bench-file");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            target = FileMemoryStore.open(tree.resolve("memory"));
        } else if (store.equals("postgres")) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(setting("aml.bench.jdbc.url", "AML_TEST_JDBC_URL"));
            config.setUsername(setting("aml.bench.jdbc.user", "AML_TEST_JDBC_USER"));
            config.setPassword(setting("aml.bench.jdbc.password", "AML_TEST_JDBC_PASSWORD"));
            config.setMaximumPoolSize(4);
            pool = new HikariDataSource(config);
            schema = "aml_bench_" + Long.toHexString(System.nanoTime());
            target = JdbcMemoryStore.builder().dataSource(pool).schema(schema).build();
            pushdownSql = "SELECT doc FROM \"" + schema + "\".items WHERE agent = ? AND kind = 'pattern'"
                    + " AND tags @> ARRAY['http'] AND success_rate >= 0.6";
        } else {
            throw new IllegalArgumentException("unknown store " + store);
        }
        List<MemoryItem> items = new ArrayList<>();
        for (int i = 0; i < patterns; i++) {
            Pattern p = pattern(random);
            items.add(p);
            ids.add(p.id());
        }
        target.apply(List.of(Change.replaceAll(AGENT, ItemKind.PATTERN, items)));
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException, IOException {
        target.close();
        if (tree != null) {
            try (Stream<Path> files = Files.walk(tree)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        if (pool != null) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
            pool.close();
        }
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property, System.getenv(env));
        if (value == null) {
            throw new IllegalStateException("JdbcStoreBenchmark needs PostgreSQL: set -D" + property + " or " + env
                    + " (eval \"$(.ci/postgres.sh start)\" starts a local server and sets them), or run with"
                    + " -p store=memory");
        }
        return value;
    }

    private static Pattern pattern(Random random) {
        double rate = random.nextDouble();
        List<String> tags = random.nextBoolean() ? List.of("http", "retry") : List.of("db");
        return new Pattern(UUID.randomUUID().toString(), AGENT.name(), NOW.minus(Duration.ofDays(random.nextInt(60))),
                RawJson.of(Map.of("type", "retry", "approach", Map.of("technique", "backoff", "maxAttempts", 3))),
                new PatternMetrics(rate, 1 + random.nextInt(50), 100, 0, RawJson.emptyObject()),
                new Evolution(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(random.nextInt(60))), 0,
                        random.nextDouble(), RawJson.emptyObject()),
                tags, true, RawJson.emptyObject());
    }

    /** @return the new pattern (one committed transaction on PostgreSQL) */
    @Benchmark
    public Pattern record() {
        Pattern p = pattern(random);
        target.apply(List.of(Change.upsert(AGENT, p)));
        return p;
    }

    /** @return the updated pattern (row-locked read-modify-write on PostgreSQL) */
    @Benchmark
    public MemoryItem recordOutcome() {
        String id = ids.get(random.nextInt(ids.size()));
        Outcome outcome = random.nextBoolean() ? Outcome.success() : Outcome.failure();
        return target.update(AGENT, ItemKind.PATTERN, id, item -> ((Pattern) item).withOutcome(outcome, NOW, 0.1));
    }

    /** @return the top 10 (cold: every item loaded and decoded) */
    @Benchmark
    public List<MemoryItem> query() {
        return target.items(AGENT, ItemKind.PATTERN).stream()
                .filter(i -> i.tags().contains("http") && i.successRate() >= 0.6)
                .sorted(Comparator.comparingDouble((MemoryItem i) -> i.weight(NOW)).reversed())
                .limit(10)
                .toList();
    }

    /** @return the top 10, filtered by PostgreSQL (on the other stores: the same as {@link #query()}) */
    @Benchmark
    public List<MemoryItem> queryPushdown() throws SQLException {
        if (pool == null) {
            return query();
        }
        List<MemoryItem> matching = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(pushdownSql)) {
            ps.setString(1, AGENT.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    matching.add(json.readItem(rs.getBytes(1), ItemKind.PATTERN, "row"));
                }
            }
        }
        return matching.stream()
                .sorted(Comparator.comparingDouble((MemoryItem i) -> i.weight(NOW)).reversed())
                .limit(10)
                .toList();
    }

    /** @return the agent's version (what a warm cache pays to stay valid) */
    @Benchmark
    public long versionCheck() {
        return target.version(AGENT);
    }
}
