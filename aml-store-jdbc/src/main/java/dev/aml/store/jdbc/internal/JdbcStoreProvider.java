package dev.aml.store.jdbc.internal;

import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;
import dev.aml.store.jdbc.JdbcMemoryStore;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Opens a {@code jdbc:postgresql:} URL as a {@link JdbcMemoryStore} with the driver's unpooled data
 * source (right for the CLI and short jobs; long-running applications build the store with a pool).
 *
 * <p>Options: read-only, and the settings {@code user}, {@code password} (else the URL's own
 * parameters or the driver's defaults) and {@code schema}. Durability and clock are the server's:
 * asking for them is refused.
 */
public final class JdbcStoreProvider implements MemoryStoreProvider {

    /** Setting: the PostgreSQL user. */
    public static final String USER = "user";
    /** Setting: the PostgreSQL password; never shown in messages. */
    public static final String PASSWORD = "password";
    /** Setting: the schema holding the tables. */
    public static final String SCHEMA = "schema";

    private static final String PREFIX = "jdbc:postgresql:";

    /** Creates the provider (ServiceLoader). */
    public JdbcStoreProvider() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String locations() {
        return PREFIX + "//host:port/database";
    }

    @Override
    public boolean accepts(String location) {
        return location.startsWith(PREFIX);
    }

    /** @return for another database's {@code jdbc:} URL, that this store needs a PostgreSQL one */
    @Override
    public Optional<String> rejection(String location) {
        if (!location.startsWith("jdbc:")) {
            return Optional.empty();
        }
        return Optional.of("Not a PostgreSQL JDBC URL: '" + location.replaceFirst("[?;].*$", "")
                + "'; expected " + locations() + ".");
    }

    @Override
    public MemoryStore open(String location, StoreOptions options) {
        Set<String> unknown = new TreeSet<>(options.settings().keySet());
        unknown.removeAll(Set.of(USER, PASSWORD, SCHEMA));
        if (!unknown.isEmpty() || options.durability().isPresent() || options.clock().isPresent()) {
            throw new InvalidInputException("The PostgreSQL store takes the settings user, password and schema and"
                    + " the read-only option only; remove " + (unknown.isEmpty() ? "" : "settings " + unknown + " ")
                    + (options.durability().isPresent() ? "durability " : "")
                    + (options.clock().isPresent() ? "clock " : "") + "(durability and time are the server's).");
        }
        JdbcMemoryStore.Builder b = JdbcMemoryStore.builder().url(location, text(options, USER),
                text(options, PASSWORD));
        String schema = text(options, SCHEMA);
        if (schema != null) {
            b.schema(schema);
        }
        if (options.readOnly()) {
            b.readOnly(true);
        }
        return b.build();
    }

    private static @Nullable String text(StoreOptions options, String name) {
        return options.setting(name).map(Object::toString).orElse(null);
    }
}
