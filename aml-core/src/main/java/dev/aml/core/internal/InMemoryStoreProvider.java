package dev.aml.core.internal;

import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;

/** Opens {@code memory:} as a new, empty {@link InMemoryMemoryStore}: every open is a store of its own. */
public final class InMemoryStoreProvider implements MemoryStoreProvider {

    /** The location prefix this provider accepts. */
    public static final String SCHEME = "memory:";

    /** Creates the provider (ServiceLoader). */
    public InMemoryStoreProvider() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String locations() {
        return SCHEME;
    }

    @Override
    public boolean accepts(String location) {
        return location.startsWith(SCHEME);
    }

    @Override
    public MemoryStore open(String location, StoreOptions options) {
        if (options.readOnly() || options.durability().isPresent() || !options.settings().isEmpty()) {
            throw new InvalidInputException("The in-memory store (" + location + ") writes nothing to disk and takes"
                    + " no options; remove " + options + " or open a directory instead.");
        }
        return MemoryStore.inMemory();
    }
}
