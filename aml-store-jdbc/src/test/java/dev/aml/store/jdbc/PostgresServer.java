package dev.aml.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server the tests run against, named by the environment variables
 * {@code AML_TEST_JDBC_URL}, {@code AML_TEST_JDBC_USER}, {@code AML_TEST_JDBC_PASSWORD} (or the system
 * properties {@code aml.test.jdbc.url}, {@code .user}, {@code .password}); {@code .ci/postgres.sh}
 * starts a throwaway one and prints them.
 *
 * <p>Without a URL the tests are skipped with a message saying how to get a server, except in CI
 * (environment {@code CI=true}), where a missing server fails them: CI must run them.
 */
final class PostgresServer {

    static final @Nullable String URL = setting("AML_TEST_JDBC_URL", "aml.test.jdbc.url");
    static final @Nullable String USER = setting("AML_TEST_JDBC_USER", "aml.test.jdbc.user");
    static final @Nullable String PASSWORD = setting("AML_TEST_JDBC_PASSWORD", "aml.test.jdbc.password");

    static final String MISSING = "No PostgreSQL for the aml-store-jdbc tests: set AML_TEST_JDBC_URL (and"
            + " AML_TEST_JDBC_USER, AML_TEST_JDBC_PASSWORD), e.g. eval \"$(.ci/postgres.sh start)\", or run .ci/run";

    private static @Nullable HikariDataSource pool;

    private PostgresServer() {
    }

    private static @Nullable String setting(String env, String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** Skips (or in CI fails) the calling test when no server is configured. */
    static void require() {
        if (URL != null) {
            return;
        }
        failInCi();
        Assumptions.abort(MISSING); // skipped, with the reason, only outside CI (see failInCi)
    }

    /** Fails the calling test if there is no server and the environment says {@code CI=true}. */
    static void failInCi() {
        if (URL == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but " + MISSING);
        }
    }

    /** @return a shared pool on the test server (created on first use) */
    static synchronized HikariDataSource pool() {
        require();
        if (pool == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(URL);
            config.setUsername(USER);
            config.setPassword(PASSWORD);
            config.setMaximumPoolSize(12);
            config.setPoolName("aml-test");
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    /** @return a new schema name no other test uses */
    static String freshSchema() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "aml_t_" + HexFormat.of().formatHex(b);
    }

    /**
     * Drops a test schema and everything in it.
     *
     * @param schema the schema
     */
    static void drop(String schema) {
        try (Connection c = pool().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test schema " + schema, e);
        }
    }

    /**
     * @param sql a statement to run on the test server (setup and inspection in tests)
     * @return the update count, or -1 for a query
     */
    static int execute(String sql) {
        try (Connection c = pool().getConnection(); Statement st = c.createStatement()) {
            return st.execute(sql) ? -1 : st.getUpdateCount();
        } catch (SQLException e) {
            throw new IllegalStateException("Test SQL failed: " + sql, e);
        }
    }
}
