package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import dev.aml.store.jdbc.internal.AdvisoryKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two JVMs on one database: no lost updates, and the maintenance lock holds across processes. */
@ExtendWith(RequiresPostgres.class)
class MultiProcessTest {

    private static final AgentId CODER = AgentId.of("coder");

    private final List<Process> children = new ArrayList<>();

    private String schema = "";
    private JdbcMemoryStore store;

    @BeforeEach
    void open() {
        PostgresServer.require();
        schema = PostgresServer.freshSchema();
        store = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
    }

    @AfterEach
    void close() {
        children.forEach(Process::destroyForcibly);
        store.close();
        PostgresServer.drop(schema);
    }

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.put("AML_TEST_JDBC_URL", PostgresServer.URL);
        env.put("AML_TEST_JDBC_USER", PostgresServer.USER == null ? "" : PostgresServer.USER);
        env.put("AML_TEST_JDBC_PASSWORD", PostgresServer.PASSWORD == null ? "" : PostgresServer.PASSWORD);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void twoJvmsWithManyThreadsEachLoseNoUpdate() throws Exception {
        Pattern start = TestItems.pattern("p1", "coder");
        store.apply(List.of(Change.upsert(CODER, start)));
        long version = store.version(CODER);
        int threads = 4;
        int perThread = 150;

        Process a = child("update", schema, String.valueOf(threads), String.valueOf(perThread));
        Process b = child("update", schema, String.valueOf(threads), String.valueOf(perThread));
        for (Process p : List.of(a, b)) {
            assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("child finished in time").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out(p).readLine()).isEqualTo("DONE " + threads * perThread);
        }

        long total = 2L * threads * perThread;
        Pattern end = (Pattern) store.find(CODER, ItemKind.PATTERN, "p1").orElseThrow();
        assertThat(end.executionCount()).isEqualTo(start.executionCount() + total);
        assertThat(end.evolution().refinements()).isEqualTo(start.evolution().refinements() + total);
        assertThat(store.version(CODER)).isEqualTo(version + total);
        // half the outcomes were failures: the running mean moved off the start value
        assertThat(end.successRate()).isNotEqualTo(start.successRate());
    }

    @Test
    void theMaintenanceLockExcludesAnotherProcessUntilItReleases() throws Exception {
        Process holder = child("lock", schema, "prune");
        BufferedReader holderOut = out(holder);
        assertThat(holderOut.readLine()).isEqualTo("LOCKED prune");

        assertThatThrownBy(() -> store.lockMaintenance("backup"))
                .isInstanceOf(ConcurrentOperationException.class)
                .hasMessageContaining("'prune'");

        holder.getOutputStream().close();
        assertThat(holderOut.readLine()).isEqualTo("RELEASED");
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (MaintenanceLock backup = store.lockMaintenance("backup")) {
            assertThat(backup.operation()).isEqualTo("backup");
        }
    }

    @Test
    void aKilledHolderReleasesTheLockWithItsSession() throws Exception {
        Process holder = child("lock", schema, "prune");
        assertThat(out(holder).readLine()).isEqualTo("LOCKED prune");
        holder.destroyForcibly();
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // wait (bounded) on the lock itself until the server has ended the dead session
        try (Connection c = PostgresServer.pool().getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = '30s'");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                ps.setInt(1, AdvisoryKeys.MAINTENANCE_CLASS);
                ps.setInt(2, AdvisoryKeys.schemaKey(schema));
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, AdvisoryKeys.MAINTENANCE_CLASS);
                ps.setInt(2, AdvisoryKeys.schemaKey(schema));
                ps.execute();
            }
            try (Statement st = c.createStatement()) {
                st.execute("RESET statement_timeout");
            }
        }
        try (MaintenanceLock prune = store.lockMaintenance("prune")) {
            assertThat(prune.operation()).isEqualTo("prune");
        }
    }
}
