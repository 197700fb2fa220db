package dev.aml.maintenance;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Migrations#detect()}.
 *
 * @param version the detected version
 * @param source where it comes from: {@code "config/schema_version.json"}, {@code "data"} or
 *     {@code "default"} (an empty tree)
 * @param itemsByVersion for detection from data: how many items look like each version
 * @param notes anything the user should know (a damaged version file, a tree of mixed versions)
 */
public record SchemaDetection(SchemaVersion version, String source, Map<SchemaVersion, Long> itemsByVersion,
        List<String> notes) {

    /** Copies the collections; rejects nulls. */
    public SchemaDetection {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        itemsByVersion = Map.copyOf(itemsByVersion);
        notes = List.copyOf(notes);
    }
}
