package dev.aml.maintenance.internal.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.ItemKind;
import dev.aml.maintenance.SchemaVersion;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * 1.0.0 → 1.1.0: every item gets {@code tags: []} when it has none, patterns get
 * {@code active: true}; zone-aware timestamps ({@code timestamp}, {@code evolution.created},
 * {@code evolution.lastUsed}) are normalised to UTC with {@code Z}. Loom rewrote {@code Z} as
 * {@code +00:00}, which its own pruning then could not read; naive timestamps (local time) and text
 * that is not a timestamp are kept exactly as written.
 */
final class AddTagsStep implements MigrationStep {

    @Override
    public SchemaVersion from() {
        return SchemaVersion.V1_0_0;
    }

    @Override
    public SchemaVersion to() {
        return SchemaVersion.V1_1_0;
    }

    @Override
    public ObjectNode apply(ItemKind kind, ObjectNode item, String agentFolder, String now) {
        ObjectNode out = item.deepCopy();
        if (!out.has("tags")) {
            out.putArray("tags");
        }
        if (kind == ItemKind.PATTERN && !out.has("active")) {
            out.put("active", true);
        }
        normalise(out, "timestamp");
        if (out.get("evolution") instanceof ObjectNode evolution) {
            normalise(evolution, "created");
            normalise(evolution, "lastUsed");
        }
        return out;
    }

    private static void normalise(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            return;
        }
        try {
            node.put(field, OffsetDateTime.parse(v.textValue()).toInstant().toString());
        } catch (DateTimeParseException e) {
            // naive local time or not a timestamp: kept as written
        }
    }
}
