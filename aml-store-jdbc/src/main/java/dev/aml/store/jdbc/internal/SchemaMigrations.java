package dev.aml.store.jdbc.internal;

import dev.aml.core.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates and upgrades the store's tables. The schema records its version in
 * {@code <schema>.schema_version} (one row per applied migration); the migrations are SQL scripts in
 * this package's {@code migrations/} resources, applied in order, each in the same transaction as its
 * {@code schema_version} row, so a failed migration leaves the previous version intact.
 *
 * <p>Opening processes on several hosts may race to migrate: the whole check-and-migrate runs under a
 * transaction-scoped advisory lock ({@code pg_advisory_xact_lock}), so one migrates and the others wait
 * and then find the schema current. A schema newer than this code knows is refused, never downgraded.
 */
public final class SchemaMigrations {

    /** One migration script. */
    record Migration(int version, String description, String resource) {
    }

    private static final List<Migration> ALL = List.of(
            new Migration(1, "agents and items", "migrations/V1__items.sql"));

    private SchemaMigrations() {
    }

    /** @return the schema version this code creates and expects */
    public static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /**
     * Brings {@code schema} to {@link #latest()} (creating it if needed), or, read-only, checks that it
     * is there and current.
     *
     * @param c a connection (its auto-commit mode is restored afterwards)
     * @param schema the validated, unquoted schema name
     * @param readOnly whether only to check
     * @return the version found before migrating (0 for a new schema)
     * @throws MigrationException if the schema is newer than this code, or (read-only) missing or older
     * @throws SQLException if the database fails
     */
    public static int migrate(Connection c, String schema, boolean readOnly) throws SQLException {
        String q = SqlNames.quote(schema);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, AdvisoryKeys.MIGRATION_CLASS);
                lock.setInt(2, AdvisoryKeys.schemaKey(schema));
                lock.execute();
            }
            int found = currentVersion(c, schema);
            if (found > latest()) {
                throw new MigrationException("PostgreSQL schema '" + schema + "' has AML schema version " + found
                        + ", newer than this AML supports (" + latest() + "). Upgrade AML on this host; the schema"
                        + " was left untouched.");
            }
            if (readOnly) {
                if (found < latest()) {
                    throw new MigrationException("PostgreSQL schema '" + schema + "' has AML schema version " + found
                            + " but this AML needs " + latest() + "; a read-only store does not migrate. Open it"
                            + " once read-write to create or migrate the schema.");
                }
                c.rollback();
                return found;
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + q);
                st.execute("CREATE TABLE IF NOT EXISTS " + q + ".schema_version (version integer PRIMARY KEY,"
                        + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            }
            for (Migration m : ALL) {
                if (m.version() <= found) {
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(m, q)) {
                        st.execute(sql);
                    }
                } catch (SQLException e) {
                    throw new MigrationException("Migration of PostgreSQL schema '" + schema + "' to version "
                            + m.version() + " (" + m.description() + ") failed: " + e.getMessage()
                            + ". It was rolled back; the schema stays at version " + found + ".", e);
                }
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO " + q + ".schema_version (version, description) VALUES (?, ?)")) {
                    ins.setInt(1, m.version());
                    ins.setString(2, m.description());
                    ins.executeUpdate();
                }
            }
            c.commit();
            return found;
        } catch (SQLException | RuntimeException e) {
            rolledBack(c, e);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Rolls back the transaction a failure interrupted; a failing rollback is attached to the failure.
     *
     * @param c the connection
     * @param failure what went wrong; the caller rethrows it
     */
    public static void rolledBack(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * @param c a connection
     * @param schema the unquoted schema name
     * @return the highest applied version, 0 if the schema or its version table does not exist
     * @throws SQLException if the database fails
     */
    public static int currentVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, SqlNames.quote(schema) + ".schema_version");
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM "
                        + SqlNames.quote(schema) + ".schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<String> statements(Migration m, String quotedSchema) {
        String text;
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(m.resource())) {
            Objects.requireNonNull(in, () -> "missing migration resource " + m.resource());
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read migration " + m.resource(), e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1).replace("{schema}", quotedSchema));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("Migration " + m.resource() + " ends without ';'");
        }
        return out;
    }
}
