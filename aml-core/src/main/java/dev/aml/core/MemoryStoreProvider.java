package dev.aml.core;

import java.util.Optional;

/**
 * Opens a {@link MemoryStore} from a location string: the service AML looks up with
 * {@link java.util.ServiceLoader} so that the command line, {@code MemoryManager} and applications open
 * any store by location ({@link MemoryStore#open(String, StoreOptions)}) without naming its class.
 *
 * <p>AML ships three: {@code file} in {@code aml-store} (a directory path or a {@code file:} URI),
 * {@code postgresql} in {@code aml-store-jdbc} ({@code jdbc:postgresql:…}) and {@code memory} in
 * {@code aml-core} ({@code memory:}). A third-party store plugs in by implementing this interface and
 * declaring it with {@code provides dev.aml.core.MemoryStoreProvider with …} in its
 * {@code module-info.java} and in {@code META-INF/services/dev.aml.core.MemoryStoreProvider} (for the
 * class path). Exactly one provider must accept a location.
 */
public interface MemoryStoreProvider {

    /** @return a short name for messages, e.g. {@code "file"} or {@code "postgresql"} */
    String name();

    /** @return the locations it opens, for messages, e.g. {@code "jdbc:postgresql://host:port/database"} */
    String locations();

    /**
     * @param location a location as the user typed it
     * @return whether this provider opens it; must be cheap and must not touch the store
     */
    boolean accepts(String location);

    /**
     * For the message when no provider accepts a location: why this one does not, when the location
     * looks like one of its own (a {@code jdbc:} URL of another database for the PostgreSQL store).
     *
     * @param location a location no provider accepts
     * @return the reason, naming what this provider expects; empty if the location is not like its own
     */
    default Optional<String> rejection(String location) {
        return Optional.empty();
    }

    /**
     * @param location a location this provider {@linkplain #accepts accepts}
     * @param options how to open it; a provider rejects options it cannot honour, with a message
     *     naming them, rather than ignoring them
     * @return the open store; the caller closes it
     * @throws InvalidInputException if the location or an option is not valid for this store
     */
    MemoryStore open(String location, StoreOptions options);
}
