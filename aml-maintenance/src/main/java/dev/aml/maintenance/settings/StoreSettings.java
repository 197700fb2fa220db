package dev.aml.maintenance.settings;

import dev.aml.core.Durability;
import dev.aml.loom.CompressionCodec;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the file store writes the memory tree.
 *
 * @param durability when writes reach the disk: {@code sync}, {@code batch} (default) or {@code none}
 * @param codec how item files are written: {@code none} (plain JSON, default, what Loom's tools read
 *     best), {@code gzip} (Loom-compatible) or {@code lz4}
 */
public record StoreSettings(Durability durability, String codec) {

    /** Default {@link #durability()}. */
    public static final Durability DEFAULT_DURABILITY = Durability.BATCH;
    /** Default {@link #codec()}. */
    public static final String DEFAULT_CODEC = "none";

    private static final Set<String> CODECS = Set.of("none", "gzip", "lz4");

    /**
     * Validates the codec.
     *
     * @throws IllegalArgumentException if the codec is not none, gzip or lz4
     */
    public StoreSettings {
        Objects.requireNonNull(durability, "durability");
        codec = Objects.requireNonNull(codec, "codec").toLowerCase(Locale.ROOT);
        if (!CODECS.contains(codec)) {
            throw new IllegalArgumentException("codec must be one of none, gzip, lz4, was '" + codec + "'");
        }
    }

    /** @return batch durability, plain JSON */
    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_DURABILITY, DEFAULT_CODEC);
    }

    /** @return the codec the file store writes with */
    public CompressionCodec compressionCodec() {
        return switch (codec) {
            case "gzip" -> CompressionCodec.gzip();
            case "lz4" -> CompressionCodec.lz4();
            default -> CompressionCodec.none();
        };
    }
}
