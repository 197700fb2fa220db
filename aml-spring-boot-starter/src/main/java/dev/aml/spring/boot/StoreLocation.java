package dev.aml.spring.boot;

import dev.aml.core.AmlException;
import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Opens {@code aml.location} the way the CLI opens its memory argument: through the core's
 * {@link MemoryStoreProvider}s ({@link MemoryStore#open(String, StoreOptions)}), so the starter names no
 * store class and a third-party store on the class path opens like the built-in ones.
 *
 * <p>What the options say. The file store takes the settings' durability and codec (the
 * {@code aml.store.*} properties above the tree's {@code config/aml.json}, as for {@code aml.memory-root}).
 * Other stores get them only when they differ from the defaults, so that PostgreSQL or {@code memory:}
 * refuse an {@code aml.store.durability} they cannot honour instead of ignoring it. {@code aml.jdbc.user},
 * {@code aml.jdbc.password} and {@code aml.jdbc.schema} go to the provider as the settings
 * {@code user}, {@code password} and {@code schema} when set; a store that takes none (a directory)
 * refuses them with its message.
 *
 * <p>Secrets. The password may be in {@code aml.jdbc.password} or in the location's own parameters
 * ({@code ?password=…}). No message this class writes shows either: locations are shown without
 * parameters and user information, and the password's text is replaced by {@code ***} in every message
 * it passes on. A provider's refusal (no provider accepts the location, an option it cannot honour)
 * becomes an {@link InvalidInputException} that names {@code aml.location} and what to write there;
 * a store that cannot be reached fails with its own exception ({@code JdbcStoreException} for
 * PostgreSQL), with a hint naming the properties to check.
 */
final class StoreLocation {

    /** What {@code aml.location} may be, for messages. */
    static final String ALLOWED = "a directory path or file: URI (aml-store), jdbc:postgresql://host:port/database"
            + " (aml-store-jdbc) or memory:";

    private static final String JDBC_STORE_EXCEPTION = "dev.aml.store.jdbc.JdbcStoreException";

    private StoreLocation() {
    }

    /**
     * @param location a value of {@code aml.location}
     * @return the directory, when the file store is the one provider that accepts the location (its
     *     {@code config/aml.json} is then read like {@code aml.memory-root}'s); empty for any other
     *     location, including one that no provider accepts (opening it reports that)
     */
    static Optional<Path> directory(String location) {
        List<MemoryStoreProvider> accepting = StreamSupport.stream(ServiceLoader.load(MemoryStoreProvider.class,
                StoreLocation.class.getClassLoader()).spliterator(), false).filter(p -> p.accepts(location)).toList();
        if (accepting.size() != 1 || !accepting.get(0).name().equals("file")) {
            return Optional.empty();
        }
        if (!location.startsWith("file:")) {
            return Optional.of(Path.of(location));
        }
        try {
            return Optional.of(Path.of(URI.create(location)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a file URI: the file store's open says so, with its message
        }
    }

    /**
     * @param location the value of {@code aml.location}
     * @param jdbc the {@code aml.jdbc.*} properties (user, password, schema)
     * @param settings the settings in force (durability and codec of section {@code store})
     * @return the open store; the caller closes it
     * @throws InvalidInputException if no provider accepts the location or the store refuses an
     *     option, naming {@code aml.location}, never the password
     */
    static MemoryStore open(String location, AmlProperties.Jdbc jdbc, AmlSettings settings) {
        @Nullable String password = jdbc.getPassword();
        StoreOptions options = options(location, jdbc, settings);
        try {
            return MemoryStore.open(location, options);
        } catch (InvalidInputException e) {
            String why = masked(e.getMessage(), password).strip();
            throw new InvalidInputException("aml.location=" + shown(location) + " cannot be opened: " + why
                    + (why.endsWith(".") ? "" : ".") + " Set aml.location to " + ALLOWED + ", and remove the aml.*"
                    + " properties that store does not take.", e);
        } catch (AmlException e) {
            if (ClassUtils.isPresent(JDBC_STORE_EXCEPTION, StoreLocation.class.getClassLoader())) {
                throw JdbcHint.withHint(e, jdbc);
            }
            throw e;
        }
    }

    private static StoreOptions options(String location, AmlProperties.Jdbc jdbc, AmlSettings settings) {
        StoreOptions.Builder o = StoreOptions.builder();
        StoreSettings store = settings.store();
        boolean directory = directory(location).isPresent();
        if (directory || store.durability() != StoreSettings.DEFAULT_DURABILITY) {
            o.durability(store.durability());
        }
        if (directory || !store.codec().equals(StoreSettings.DEFAULT_CODEC)) {
            o.setting("codec", directory ? store.compressionCodec() : store.codec());
        }
        setIfPresent(o, "user", jdbc.getUser());
        setIfPresent(o, "password", jdbc.getPassword());
        setIfPresent(o, "schema", jdbc.getSchema());
        return o.build();
    }

    private static void setIfPresent(StoreOptions.Builder o, String name, @Nullable String value) {
        if (value != null) {
            o.setting(name, value);
        }
    }

    /**
     * @param location a location as configured
     * @return it without URL parameters ({@code ?…}, {@code ;…}) and user information, which may hold
     *     credentials
     */
    static String shown(String location) {
        return location.replaceFirst("[?;].*$", "").replaceFirst("//[^/@]*@", "//");
    }

    /**
     * @param message a message that may quote the password
     * @param password the password, if any
     * @return the message with every occurrence of the password replaced by {@code ***}
     */
    static String masked(@Nullable String message, @Nullable String password) {
        String m = message == null ? "" : message;
        return password == null || password.isEmpty() ? m : m.replace(password, "***");
    }

    /** Loaded only when aml-store-jdbc is on the class path: it names {@code JdbcStoreException}. */
    private static final class JdbcHint {

        private JdbcHint() {
        }

        /**
         * @param e what opening the store threw
         * @param jdbc the {@code aml.jdbc.*} properties
         * @return for a database that cannot be reached or refuses the login, the same exception type
         *     with a hint naming the properties to check (whether the password is set, never its
         *     value); else {@code e}
         */
        static AmlException withHint(AmlException e, AmlProperties.Jdbc jdbc) {
            if (!(e instanceof dev.aml.store.jdbc.JdbcStoreException j) || !j.isConnectionFailure()
                    || !(j.getCause() instanceof java.sql.SQLException sql)) {
                return e;
            }
            return new dev.aml.store.jdbc.JdbcStoreException(masked(j.getMessage(), jdbc.getPassword())
                    + " In Spring, check the host and port of aml.location, aml.jdbc.user ("
                    + (jdbc.getUser() == null ? "not set" : "set") + ") and aml.jdbc.password ("
                    + (jdbc.getPassword() == null ? "not set" : "set") + ").", sql);
        }
    }
}
