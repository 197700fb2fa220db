package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.store.jdbc.JdbcMemoryStore;
import dev.aml.store.jdbc.JdbcStoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@code aml.location=jdbc:postgresql:…} on a real server: the test server of aml-store-jdbc's tests
 * ({@code AML_TEST_JDBC_URL}, {@code _USER}, {@code _PASSWORD}, e.g. from {@code .ci/postgres.sh}), in
 * a schema of its own. Without a server it is skipped, except with {@code CI=true} (as {@code .ci/run}
 * sets), where it fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class AmlLocationOnPostgresTest {

    private static final String SCHEMA = "aml_starter_location";
    private static final @Nullable String URL = env("AML_TEST_JDBC_URL");
    private static final @Nullable String USER = env("AML_TEST_JDBC_USER");
    private static final @Nullable String PASSWORD = env("AML_TEST_JDBC_PASSWORD");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AmlAutoConfiguration.class));

    private static @Nullable String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }

    @BeforeAll
    static void server() throws SQLException {
        if (URL == null || USER == null || PASSWORD == null) {
            String missing = "No PostgreSQL for the starter's aml.location test: set AML_TEST_JDBC_URL,"
                    + " AML_TEST_JDBC_USER and AML_TEST_JDBC_PASSWORD (eval \"$(.ci/postgres.sh start)\")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but " + missing);
            }
            Assumptions.abort(missing);
        }
        dropSchema();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (URL == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void theLocationOpensThePostgresStoreWithTheCredentialsAndTheSchema(CapturedOutput output) {
        String[] located = {"aml.location=" + URL, "aml.jdbc.user=" + USER, "aml.jdbc.password=" + PASSWORD,
            "aml.jdbc.schema=" + SCHEMA};
        Pattern[] recorded = new Pattern[1];
        runner.withPropertyValues(located).run(ctx -> {
            MemoryManager aml = ctx.getBean(MemoryManager.class);
            assertThat(aml.store()).isInstanceOf(JdbcMemoryStore.class);
            assertThat(aml.store().describe()).contains("schema '" + SCHEMA + "'").doesNotContain(PASSWORD);
            assertThat(aml.root()).isEmpty();
            recorded[0] = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
        });
        runner.withPropertyValues(located).run(ctx -> assertThat(ctx.getBean(MemoryManager.class).agent("coder")
                .patterns().query(MemoryQuery.patterns())).extracting(Pattern::id).containsExactly(recorded[0].id()));

        String wrong = PASSWORD + "-not-it";
        runner.withPropertyValues("aml.location=" + URL, "aml.jdbc.user=" + USER, "aml.jdbc.password=" + wrong,
                "aml.jdbc.schema=" + SCHEMA).run(ctx -> {
                    assertThat(ctx).hasFailed();
                    JdbcStoreException e = null;
                    for (Throwable t = ctx.getStartupFailure(); t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong);
                        e = t instanceof JdbcStoreException j ? j : e;
                    }
                    assertThat(e).isNotNull();
                    assertThat(e.isConnectionFailure()).as("%s", e).isTrue();
                    assertThat(e).hasMessageContaining("aml.jdbc.password (set)");
                });
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }
}
