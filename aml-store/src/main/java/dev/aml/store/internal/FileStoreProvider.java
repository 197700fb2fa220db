package dev.aml.store.internal;

import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;
import dev.aml.loom.CompressionCodec;
import dev.aml.store.FileMemoryStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Opens a directory path, or a {@code file:} URI, as a {@link FileMemoryStore}. A location with any
 * other scheme ({@code jdbc:}, {@code memory:} …) is left to other providers; a single letter before
 * the colon is a Windows drive, not a scheme.
 *
 * <p>Options: read-only, durability, clock, and the setting {@code codec}: how item files are
 * compressed at checkpoints, a {@link CompressionCodec} or its name ({@code none}, {@code gzip},
 * {@code lz4}).
 */
public final class FileStoreProvider implements MemoryStoreProvider {

    /** The one setting this provider reads. */
    public static final String CODEC = "codec";

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    /** Creates the provider (ServiceLoader). */
    public FileStoreProvider() {
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String locations() {
        return "a directory path or file: URI";
    }

    @Override
    public boolean accepts(String location) {
        return !location.isEmpty() && (location.startsWith("file:") || !SCHEME.matcher(location).matches());
    }

    @Override
    public MemoryStore open(String location, StoreOptions options) {
        Set<String> unknown = new TreeSet<>(options.settings().keySet());
        unknown.remove(CODEC);
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("The file store (" + location + ") has no setting " + unknown
                    + "; it knows only '" + CODEC + "' (none, gzip, lz4).");
        }
        FileMemoryStore.Builder b = FileMemoryStore.builder(path(location));
        if (options.readOnly()) {
            b.readOnly(true);
        }
        options.durability().ifPresent(b::durability);
        options.setting(CODEC).ifPresent(codec -> b.codec(codec instanceof CompressionCodec c ? c
                : CompressionCodec.byName(codec.toString()).orElseThrow(() -> new InvalidInputException(
                        "Unknown codec '" + codec + "' for the file store (" + location + "); use none, gzip or lz4."))));
        options.clock().ifPresent(b::clock);
        return b.open();
    }

    private static Path path(String location) {
        if (!location.startsWith("file:")) {
            return Path.of(location);
        }
        try {
            return Path.of(URI.create(location));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Not a file URI: '" + location + "'; write file:///absolute/path or"
                    + " give the directory as a plain path.", e);
        }
    }
}
