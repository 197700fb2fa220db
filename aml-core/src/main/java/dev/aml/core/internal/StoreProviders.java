package dev.aml.core.internal;

import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the {@link MemoryStoreProvider} for a location among those {@link ServiceLoader} sees (module
 * path and class path) and opens the store with it.
 */
public final class StoreProviders {

    private StoreProviders() {
    }

    /** @return every provider visible from here, sorted by name */
    public static List<MemoryStoreProvider> all() {
        List<MemoryStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(MemoryStoreProvider.class, StoreProviders.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(MemoryStoreProvider::name));
        return found;
    }

    /**
     * @param location a store location
     * @param options how to open it
     * @return the store opened by the one provider that accepts the location
     * @throws InvalidInputException if none or several accept it, naming the providers found
     */
    public static MemoryStore open(String location, StoreOptions options) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        return providerFor(location, all()).open(location, options);
    }

    /**
     * @param location a store location
     * @param providers the providers to choose from
     * @return the one that accepts the location
     * @throws InvalidInputException if none or several accept it
     */
    static MemoryStoreProvider providerFor(String location, List<MemoryStoreProvider> providers) {
        List<MemoryStoreProvider> accepting = providers.stream().filter(p -> p.accepts(location)).toList();
        if (accepting.size() == 1) {
            return accepting.get(0);
        }
        String shown = withoutCredentials(location);
        if (accepting.isEmpty()) {
            String reasons = providers.stream().flatMap(p -> p.rejection(location).stream())
                    .collect(Collectors.joining(" "));
            throw new InvalidInputException((reasons.isEmpty() ? "" : reasons + " ") + "No store provider opens '"
                    + shown + "'. Providers found: " + describe(providers) + ". Check the location, or put the"
                    + " module of the store you mean (aml-store for a directory, aml-store-jdbc for"
                    + " jdbc:postgresql:) on the class path.");
        }
        throw new InvalidInputException("Several store providers accept '" + shown + "': " + describe(accepting)
                + ". Remove one of them from the class path, or give a location only one of them accepts.");
    }

    /**
     * @param location a location as typed
     * @return it without URL parameters ({@code ?…}, {@code ;…}) and user information, which may hold
     *     credentials
     */
    public static String withoutCredentials(String location) {
        return location.replaceFirst("[?;].*$", "").replaceFirst("//[^/@]*@", "//");
    }

    /**
     * @param directory a directory on disk
     * @return a location that only a file store provider accepts: the path as written, or its
     *     {@code file:} URI when the path itself would read as a scheme ({@code memory:x})
     */
    public static String location(Path directory) {
        String s = directory.toString();
        return s.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") ? directory.toAbsolutePath().toUri().toString() : s;
    }

    private static String describe(List<MemoryStoreProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream().map(p -> p.name() + " (" + p.locations() + ", " + p.getClass().getName() + ")")
                .collect(Collectors.joining(", "));
    }
}
