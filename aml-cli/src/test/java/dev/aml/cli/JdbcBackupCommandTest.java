package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aml jdbc:postgresql://… backup|prune|auto --backup-root DIR} end to end against a real
 * PostgreSQL (the server {@code .ci/postgres.sh} starts; the variables {@code AML_TEST_JDBC_URL},
 * {@code _USER}, {@code _PASSWORD}). Without a server the test is skipped; with {@code CI=true} it
 * fails instead. The CLI uses the store's default schema {@code aml}, dropped before and after.
 */
class JdbcBackupCommandTest {

    private static final String URL = System.getenv("AML_TEST_JDBC_URL");
    private static final String USER = System.getenv("AML_TEST_JDBC_USER");
    private static final String PASSWORD = System.getenv("AML_TEST_JDBC_PASSWORD");
    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path dir;

    private String url = "";

    @BeforeEach
    void server() throws SQLException {
        if (URL == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but AML_TEST_JDBC_URL is not set: run under .ci/postgres.sh exec");
            }
            Assumptions.abort("No PostgreSQL: set AML_TEST_JDBC_URL/_USER/_PASSWORD (eval \"$(.ci/postgres.sh start)\")");
        }
        // the CLI reads credentials from AML_JDBC_USER/_PASSWORD, which a test cannot set: URL parameters
        url = URL + (URL.contains("?") ? "&" : "?") + "user=" + encode(USER) + "&password=" + encode(PASSWORD);
        dropSchema();
        Instant old = Instant.now().minus(Duration.ofDays(200));
        try (MemoryManager seed = MemoryManager.builder().store(store()).clock(Clock.fixed(old, ZoneOffset.UTC))
                .build()) {
            seed.agent("coder").patterns().record(PatternDraft.of("retry", Map.of("protocol", "http")));
            seed.agent("coder").patterns().record(PatternDraft.of("cache", Map.of("layer", "db")));
        }
        try (MemoryManager seed = MemoryManager.builder().store(store()).build()) {
            seed.agent("coder").patterns().record(PatternDraft.of("fresh", Map.of("k", "v")));
        }
    }

    @AfterEach
    void drop() throws SQLException {
        if (URL != null) {
            dropSchema();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private JdbcMemoryStore store() {
        return JdbcMemoryStore.builder().url(url, null, null).build();
    }

    private void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + JdbcMemoryStore.DEFAULT_SCHEMA + " CASCADE");
        }
    }

    private List<MemoryItem> patterns() {
        try (JdbcMemoryStore s = store()) {
            return s.items(CODER, ItemKind.PATTERN);
        }
    }

    private CliRun aml(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = url;
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun run = CliRun.of(all);
        if (PASSWORD != null && !PASSWORD.isEmpty()) {
            assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
        }
        return run;
    }

    @Test
    void backupPruneRestoreAndAutoOnAJdbcUrl() throws Exception {
        String backups = dir.resolve("backups").toString();
        assertThat(patterns()).hasSize(3);

        CliRun missing = aml("backup", "list");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--backup-root DIR");

        CliRun created = aml("backup", "create", "--backup-root", backups, "--description", "nightly");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("Backup created: full_").contains("Verified: yes");

        CliRun pruned = aml("prune", "--strategies", "time_based", "--backup-root", backups);
        assertThat(pruned.code()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("--backup-root " + backups);
        assertThat(patterns()).extracting(MemoryItem::id).hasSize(1);

        JsonNode list = new ObjectMapper().readTree(aml("backup", "list", "--backup-root", backups, "--json").out());
        assertThat(list).hasSize(2);
        JsonNode prePrune = list.get(0);
        assertThat(prePrune.path("description").asText()).startsWith("Pre-prune backup");
        String id = prePrune.path("backup_id").asText();
        assertThat(aml("backup", "verify", "--backup-id", id, "--drill", "--backup-root", backups).code()).isZero();

        // into a folder: a Loom tree of the items before the prune
        Path laptop = dir.resolve("laptop");
        CliRun toTree = aml("backup", "restore", "--backup-id", id, "--backup-root", backups, "--target",
                laptop.toString());
        assertThat(toTree.code()).as(toTree.err()).isZero();
        assertThat(LoomJson.defaults().read(laptop.resolve("coder/patterns.json"), ItemKind.PATTERN)).hasSize(3);

        // in place: the database gets the items back, after a safety backup
        CliRun inPlace = aml("backup", "restore", "--backup-id", id, "--backup-root", backups);
        assertThat(inPlace.code()).as(inPlace.err()).isZero();
        assertThat(inPlace.out()).contains("(in place)").contains("Safety backup of the previous state: full_");
        assertThat(patterns()).hasSize(3);

        // auto runs on PostgreSQL when it has a backup root, and says what to pass when it has none
        assertThat(aml("auto").code()).isEqualTo(ExitCodes.USAGE);
        CliRun auto = aml("auto", "--backup-root", backups);
        assertThat(auto.code()).as(auto.out() + auto.err()).isZero();
    }
}
