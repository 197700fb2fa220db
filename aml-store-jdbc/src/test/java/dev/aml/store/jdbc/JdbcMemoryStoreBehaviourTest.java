package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.CorruptDataException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MigrationException;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.contract.TestItems;
import dev.aml.store.jdbc.internal.SchemaMigrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the PostgreSQL store does beyond the contract: schema, columns, locks across sessions, snapshots, export. */
@ExtendWith(RequiresPostgres.class)
class JdbcMemoryStoreBehaviourTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    private final List<JdbcMemoryStore> open = new CopyOnWriteArrayList<>();

    private final List<String> schemas = new ArrayList<>();
    private String schema = "";

    @BeforeEach
    void server() {
        PostgresServer.require();
        schema = fresh();
    }

    @AfterEach
    void cleanUp() {
        open.forEach(JdbcMemoryStore::close);
        schemas.forEach(PostgresServer::drop);
    }

    private String fresh() {
        String s = PostgresServer.freshSchema();
        schemas.add(s);
        return s;
    }

    private JdbcMemoryStore open(String name) {
        JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(name).build();
        open.add(store);
        return store;
    }

    @FunctionalInterface
    private interface Column<T> {
        T get(ResultSet rs) throws SQLException;
    }

    private static <T> T query(String sql, Column<T> column) {
        try (Connection c = PostgresServer.pool().getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return column.get(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long queryLong(String sql) {
        return query(sql, rs -> rs.getLong(1));
    }

    private static String queryString(String sql) {
        return query(sql, rs -> rs.getString(1));
    }

    @Test
    void theStoreCreatesAndVersionsItsSchemaOnce() {
        JdbcMemoryStore store = open(schema);
        assertThat(store.schemaVersion()).isEqualTo(SchemaMigrations.latest());
        store.close();
        open(schema); // a second open finds the schema current and applies nothing again
        assertThat(queryLong("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(SchemaMigrations.latest());
    }

    @Test
    void hostsOpeningANewSchemaAtOnceMigrateItExactlyOnce() throws Exception {
        int hosts = 4;
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<JdbcMemoryStore>> opening = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return open(schema);
                }));
            }
            start.countDown();
            for (Future<JdbcMemoryStore> f : opening) {
                assertThat(f.get(60, TimeUnit.SECONDS).schemaVersion()).isEqualTo(SchemaMigrations.latest());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(queryLong("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(SchemaMigrations.latest());
    }

    @Test
    void batchesOverSeveralAgentsInOppositeOrdersNeverDeadlock() throws Exception {
        JdbcMemoryStore store = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("c", "coder")),
                Change.upsert(TESTER, TestItems.pattern("t", "tester"))));
        long coder0 = store.version(CODER);
        int rounds = 100;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (List<AgentId> order : List.of(List.of(CODER, TESTER), List.of(TESTER, CODER))) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        List<Change> batch = new ArrayList<>();
                        for (AgentId agent : order) {
                            String id = agent.name().substring(0, 1);
                            batch.add(Change.upsert(agent, ((Pattern) store.find(agent, ItemKind.PATTERN, id)
                                    .orElseThrow()).withTags(List.of("round" + i))));
                        }
                        store.apply(batch);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.version(CODER)).isEqualTo(coder0 + 2L * rounds);
        assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(1);
    }

    @Test
    void aSchemaNewerThanThisCodeIsRefusedAndLeftAlone() {
        open(schema).close();
        PostgresServer.execute("INSERT INTO \"" + schema + "\".schema_version (version, description)"
                + " VALUES (99, 'future')");

        assertThatThrownBy(() -> open(schema))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("99")
                .hasMessageContaining("Upgrade AML");
        assertThat(queryLong("SELECT max(version) FROM \"" + schema + "\".schema_version")).isEqualTo(99);
    }

    @Test
    void readOnlyNeitherCreatesNorWrites() {
        assertThatThrownBy(() -> JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema)
                .readOnly(true).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("read-only");
        assertThat(queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")).isZero();

        open(schema).apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        JdbcMemoryStore reader = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema)
                .readOnly(true).build();
        open.add(reader);
        assertThat(reader.readOnly()).isTrue();
        assertThat(reader.items(CODER, ItemKind.PATTERN)).hasSize(1);
        assertThatThrownBy(() -> reader.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read-only");
    }

    @Test
    void typedColumnsMirrorTheItemAndTheDocumentKeepsKeyOrderAndUnknownFields() {
        JdbcMemoryStore store = open(schema);
        Pattern base = TestItems.pattern("p1", "coder", 0.75, 12, 0.6, TestItems.NOW);
        Pattern odd = new Pattern(base.id(), base.agent(), base.timestamp(),
                RawJson.parse("{\"zeta\":1,\"alpha\":{\"b\":2,\"a\":[3,\"x\"]}}"), base.metrics(), base.evolution(),
                List.of("http", "retry"), false, RawJson.parse("{\"zz\":true,\"aa\":\"kept\"}"));
        store.apply(List.of(Change.upsert(CODER, odd)));

        assertThat(store.find(CODER, ItemKind.PATTERN, "p1")).contains(odd);
        String row = "FROM \"" + schema + "\".items WHERE agent = 'coder' AND id = 'p1'";
        assertThat(queryString("SELECT success_rate::text " + row)).isEqualTo("0.75");
        assertThat(queryLong("SELECT execution_count " + row)).isEqualTo(12);
        assertThat(queryString("SELECT array_to_string(tags, ',') " + row)).isEqualTo("http,retry");
        assertThat(queryString("SELECT active::text " + row)).isEqualTo("false");
        assertThat(queryString("SELECT body->>'aa' " + row)).isEqualTo("kept");
        assertThat(queryLong("SELECT count(*) FROM \"" + schema + "\".items WHERE tags @> ARRAY['retry']"))
                .isEqualTo(1);
    }

    @Test
    void duplicateIdsFromReplaceAllKeepOrderAndFindSeesTheFirst() {
        JdbcMemoryStore store = open(schema);
        Pattern first = TestItems.pattern("dup", "coder", 0.1, 1, 0.1, TestItems.NOW);
        Pattern second = TestItems.pattern("dup", "coder", 0.9, 9, 0.9, TestItems.NOW);
        store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN,
                List.of(first, TestItems.pattern("mid", "coder"), second))));

        assertThat(store.items(CODER, ItemKind.PATTERN)).extracting(MemoryItem::id)
                .containsExactly("dup", "mid", "dup");
        assertThat(store.find(CODER, ItemKind.PATTERN, "dup")).contains(first);
        store.update(CODER, ItemKind.PATTERN, "dup", i -> i.withActive(false));
        assertThat(store.items(CODER, ItemKind.PATTERN).get(0).active()).isFalse();
        assertThat(store.items(CODER, ItemKind.PATTERN).get(2)).isEqualTo(second);

        store.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "dup"),
                Change.upsert(CODER, TestItems.pattern("new", "coder"))));
        assertThat(store.items(CODER, ItemKind.PATTERN)).extracting(MemoryItem::id).containsExactly("mid", "new");
    }

    @Test
    void textPostgresCannotStoreIsRejectedAndNothingIsWritten() {
        JdbcMemoryStore store = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("ok", "coder"))));
        long version = store.version(CODER);

        assertThatThrownBy(() -> store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                Change.upsert(CODER, TestItems.pattern("bad\u0000id", "coder")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nothing was changed");
        assertThat(store.items(CODER, ItemKind.PATTERN)).extracting(MemoryItem::id).containsExactly("ok");
        assertThat(store.version(CODER)).isEqualTo(version);
    }

    @Test
    void aRowThatIsNotAnItemIsReportedNeverReadAsEmptyAndLeftUntouched() {
        JdbcMemoryStore store = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        PostgresServer.execute("UPDATE \"" + schema + "\".items SET doc = '{\"id\":\"p1\",\"metrics\":\"oops\"}'");

        assertThatThrownBy(() -> store.items(CODER, ItemKind.PATTERN))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("p1")
                .hasMessageContaining("coder")
                .hasMessageContaining("left untouched");
        assertThat(store.unreadableAgents()).containsOnlyKeys(CODER);
        assertThatThrownBy(() -> store.update(CODER, ItemKind.PATTERN, "p1", i -> i))
                .isInstanceOf(CorruptDataException.class);
        assertThat(queryString("SELECT doc FROM \"" + schema + "\".items"))
                .isEqualTo("{\"id\":\"p1\",\"metrics\":\"oops\"}");
    }

    @Test
    void anUpdateFromARowChangedElsewhereWritesNothingAndRunsAgainUnderTheLock() {
        JdbcMemoryStore here = open(schema);
        JdbcMemoryStore there = open(schema);
        here.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder", 0.5, 0, 0.5, TestItems.NOW))));
        UnaryOperator<MemoryItem> success = i -> ((Pattern) i).withOutcome(Outcome.success(), TestItems.NOW, 0.1);
        here.update(CODER, ItemKind.PATTERN, "p1", success); // here now knows the row
        there.update(CODER, ItemKind.PATTERN, "p1", success); // and another store changes it
        long version = here.version(CODER);
        AtomicInteger runs = new AtomicInteger();

        MemoryItem result = here.update(CODER, ItemKind.PATTERN, "p1", i -> {
            runs.incrementAndGet();
            return success.apply(i);
        });

        assertThat(runs).as("once on the stale row, once under the lock").hasValue(2);
        assertThat(((Pattern) result).metrics().executionCount()).isEqualTo(3);
        assertThat(((Pattern) there.find(CODER, ItemKind.PATTERN, "p1").orElseThrow()).metrics().executionCount())
                .isEqualTo(3);
        assertThat(here.version(CODER)).as("the stale attempt bumped nothing").isEqualTo(version + 1);

        runs.set(0);
        here.update(CODER, ItemKind.PATTERN, "p1", i -> {
            runs.incrementAndGet();
            return success.apply(i);
        });
        assertThat(runs).as("a row this store wrote last is updated in one go").hasValue(1);
        PostgresServer.execute("UPDATE \"" + schema + "\".items"
                + " SET doc = jsonb_set(doc::jsonb, '{metrics,executionCount}', '40')::text");
        assertThat(((Pattern) here.update(CODER, ItemKind.PATTERN, "p1", success)).metrics().executionCount())
                .as("a change made with SQL is seen too").isEqualTo(41);
    }

    @Test
    void anUpdateOfAKnownRowIsOneRoundTripNotificationIncluded() throws InterruptedException {
        RoundTripCountingDataSource counting = new RoundTripCountingDataSource(PostgresServer.pool());
        JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(counting.dataSource).schema(schema).build();
        open.add(store);
        JdbcMemoryStore other = open(schema);
        BlockingQueue<Change> seenByOther = new LinkedBlockingQueue<>();
        other.addChangeListener(seenByOther::addAll);
        store.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, List.of(TestItems.pattern("p1", "coder"),
                TestItems.pattern("p2", "coder")))));
        UnaryOperator<MemoryItem> success = i -> ((Pattern) i).withOutcome(Outcome.success(), TestItems.NOW, 0.1);

        counting.roundTrips.set(0);
        store.update(CODER, ItemKind.PATTERN, "p2", success);
        assertThat(counting.roundTrips).as("a row this store wrote").hasValue(1);
        counting.roundTrips.set(0);
        MemoryItem p2 = store.update(CODER, ItemKind.PATTERN, "p2", success);
        assertThat(counting.roundTrips).as("the row it just updated").hasValue(1);

        JdbcMemoryStore fresh = JdbcMemoryStore.builder().dataSource(counting.dataSource).schema(schema).build();
        open.add(fresh);
        counting.roundTrips.set(0);
        MemoryItem p1 = fresh.update(CODER, ItemKind.PATTERN, "p1", success);
        assertThat(counting.roundTrips).as("a row never seen: read, then update").hasValue(2);
        // The other store converges on the newest state; a notification it handles late may already carry
        // a later write (e.g. the first replace-all read after both p2 updates), so the newer state can
        // arrive inside a ReplaceAll rather than as an Upsert: accept either, but require the final state.
        Map<String, Long> latest = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Long.valueOf(p1.executionCount()).equals(latest.get("p1"))
                && Long.valueOf(p2.executionCount()).equals(latest.get("p2"))) && System.nanoTime() < deadline) {
            Change c = seenByOther.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (c instanceof Change.Upsert u) {
                latest.put(u.item().id(), u.item().executionCount());
            } else if (c instanceof Change.ReplaceAll r) {
                r.items().forEach(i -> latest.put(i.id(), i.executionCount()));
            }
        }
        assertThat(latest).as("the other store was notified of the one-round-trip updates")
                .containsEntry("p1", p1.executionCount()).containsEntry("p2", p2.executionCount());
    }

    @Test
    void versionsMoveWithWritesOfOtherStoreInstances() {
        JdbcMemoryStore here = open(schema);
        JdbcMemoryStore there = open(schema);
        long before = here.version(CODER);
        there.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        assertThat(here.version(CODER)).isGreaterThan(before);
        assertThat(here.find(CODER, ItemKind.PATTERN, "p1")).isPresent();
        assertThat(here.version(TESTER)).isZero();
    }

    @Test
    void theMaintenanceLockExcludesOtherSessionsNamesTheHolderAndIsReleasedByClose() {
        JdbcMemoryStore hostA = open(schema);
        JdbcMemoryStore hostB = open(schema);
        try (MaintenanceLock prune = hostA.lockMaintenance("prune")) {
            assertThatThrownBy(() -> hostB.lockMaintenance("backup"))
                    .isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("'backup'")
                    .hasMessageContaining("'prune'")
                    .hasMessageContaining("pid");
            assertThat(prune.operation()).isEqualTo("prune");
        }
        try (MaintenanceLock backup = hostB.lockMaintenance("backup")) {
            assertThatThrownBy(() -> hostA.lockMaintenance("prune"))
                    .hasMessageContaining("'" + backup.operation() + "'");
        }
        // closing a store releases the locks it still holds
        hostA.lockMaintenance("migrate");
        hostA.close();
        hostB.lockMaintenance("gc").close();
    }

    @Test
    void anotherSchemaHasItsOwnMaintenanceLock() {
        JdbcMemoryStore one = open(schema);
        JdbcMemoryStore other = open(fresh());
        try (MaintenanceLock a = one.lockMaintenance("prune"); MaintenanceLock b = other.lockMaintenance("prune")) {
            assertThat(a.operation()).isEqualTo(b.operation());
        }
    }

    @Test
    void quiescedReadsOneSnapshotWhileOthersWrite() {
        JdbcMemoryStore store = open(schema);
        JdbcMemoryStore writer = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        AtomicLong versionInside = new AtomicLong();

        List<String> seen = store.quiesced(() -> {
            writer.apply(List.of(Change.upsert(CODER, TestItems.pattern("p2", "coder"))));
            versionInside.set(store.version(CODER));
            return store.items(CODER, ItemKind.PATTERN).stream().map(MemoryItem::id).toList();
        });

        assertThat(seen).containsExactly("p1");
        assertThat(store.version(CODER)).isGreaterThan(versionInside.get());
        assertThat(store.items(CODER, ItemKind.PATTERN)).extracting(MemoryItem::id).containsExactly("p1", "p2");
    }

    @Test
    void exportWritesALoomTreeThatImportsBackIdentically(@TempDir Path dir) throws Exception {
        JdbcMemoryStore source = open(schema);
        source.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                Change.upsert(CODER, TestItems.solution("s1", "coder", true)),
                Change.upsert(TESTER, TestItems.decision("d1", "tester", false))));
        Path tree = dir.resolve("memory");

        LoomTransferReport exported = source.exportTo(tree);

        assertThat(exported.agents()).containsExactly(CODER, TESTER);
        assertThat(exported.counts()).containsEntry(ItemKind.PATTERN, 2L).containsEntry(ItemKind.DECISION, 1L);
        assertThat(exported.items()).isEqualTo(4);
        assertThat(tree.resolve("coder/patterns.json")).isRegularFile();
        assertThat(tree.resolve("tester/decisions.json")).isRegularFile();
        try (var files = Files.walk(tree)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }

        JdbcMemoryStore target = open(fresh());
        target.apply(List.of(Change.upsert(CODER, TestItems.pattern("old", "coder")),
                Change.upsert(CODER, TestItems.decision("kept", "coder", true)),
                Change.upsert(AgentId.of("bystander"), TestItems.pattern("b", "bystander"))));
        LoomTransferReport imported = target.importFrom(tree);

        assertThat(imported.items()).isEqualTo(4);
        for (AgentId agent : List.of(CODER, TESTER)) {
            for (ItemKind kind : List.of(ItemKind.PATTERN, ItemKind.SOLUTION)) {
                assertThat(target.items(agent, kind)).as("%s %s", agent, kind).isEqualTo(source.items(agent, kind));
            }
        }
        assertThat(target.items(TESTER, ItemKind.DECISION)).isEqualTo(source.items(TESTER, ItemKind.DECISION));
        // coder has no decisions.json in the tree: its decisions are kept, like the bystander agent
        assertThat(target.items(CODER, ItemKind.DECISION)).extracting(MemoryItem::id).containsExactly("kept");
        assertThat(target.items(AgentId.of("bystander"), ItemKind.PATTERN)).hasSize(1);
    }

    @Test
    void exportNeverOverwrites(@TempDir Path dir) throws Exception {
        JdbcMemoryStore store = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        Files.writeString(dir.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> store.exportTo(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not empty");
        assertThat(dir.resolve("keep.txt")).hasContent("mine");
        assertThat(dir.resolve("coder")).doesNotExist();
    }

    @Test
    void aDamagedTreeImportsNothing(@TempDir Path dir) throws Exception {
        JdbcMemoryStore store = open(schema);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        Files.createDirectories(dir.resolve("coder"));
        Files.createDirectories(dir.resolve("tester"));
        Files.writeString(dir.resolve("coder/patterns.json"), "[]");
        Files.writeString(dir.resolve("tester/patterns.json"), "[{\"id\": \"t1\", ");

        assertThatThrownBy(() -> store.importFrom(dir)).isInstanceOf(CorruptDataException.class);
        assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(1);
        assertThat(store.agents()).containsExactly(CODER);
    }

    @Test
    void builderOptionsAreSetOnceAndValidated() {
        JdbcMemoryStore.Builder b = JdbcMemoryStore.builder().schema("one");
        assertThatThrownBy(() -> b.schema("two")).isInstanceOf(IllegalStateException.class).hasMessageContaining("one");
        assertThatThrownBy(() -> JdbcMemoryStore.builder().schema("Robert'); DROP TABLE x;--"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid schema name");
        assertThatThrownBy(() -> JdbcMemoryStore.builder().schema("pg_catalog"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcMemoryStore.builder().url("jdbc:mysql://h/db?password=secret", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> JdbcMemoryStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> JdbcMemoryStore.builder().dataSource(PostgresServer.pool())
                .url("jdbc:postgresql://h/d", null, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutPrintingIt() {
        assertThatThrownBy(() -> JdbcMemoryStore.builder()
                .url(PostgresServer.URL, PostgresServer.USER, "not-the-password-42")
                .schema(schema).build())
                .isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("28P01")
                .hasMessageNotContaining("not-the-password-42");
    }

    @Test
    void ofUsesTheDefaultSchema() {
        schemas.add(JdbcMemoryStore.DEFAULT_SCHEMA);
        JdbcMemoryStore store = JdbcMemoryStore.of(PostgresServer.pool());
        open.add(store);
        assertThat(store.schema()).isEqualTo("aml");
        assertThat(store.describe()).contains("schema 'aml'");
        assertThat(queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'aml'")).isEqualTo(1);
    }

    @Test
    void theUrlBuilderConnectsWithoutAPool() {
        JdbcMemoryStore store = JdbcMemoryStore.builder().url(PostgresServer.URL, PostgresServer.USER,
                PostgresServer.PASSWORD).schema(schema).build();
        open.add(store);
        store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder"))));
        assertThat(store.describe()).contains(schema).contains("jdbc:postgresql://");
        assertThat(store.files()).isEmpty();
        assertThat(store.items(CODER, ItemKind.PATTERN)).hasSize(1);
    }
}
