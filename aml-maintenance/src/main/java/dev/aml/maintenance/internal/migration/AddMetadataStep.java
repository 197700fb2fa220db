package dev.aml.maintenance.internal.migration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.ItemKind;
import dev.aml.maintenance.SchemaVersion;

/**
 * 1.1.0 → 1.2.0: every item gets {@code metadata: {"created_by": "migration", "last_modified": now,
 * "version": "1.2.0"}} when it has none; patterns get {@code variations: []} when they have none.
 */
final class AddMetadataStep implements MigrationStep {

    @Override
    public SchemaVersion from() {
        return SchemaVersion.V1_1_0;
    }

    @Override
    public SchemaVersion to() {
        return SchemaVersion.V1_2_0;
    }

    @Override
    public ObjectNode apply(ItemKind kind, ObjectNode item, String agentFolder, String now) {
        ObjectNode out = item.deepCopy();
        if (!out.has("metadata")) {
            ObjectNode m = out.putObject("metadata");
            m.put("created_by", "migration");
            m.put("last_modified", now);
            m.put("version", "1.2.0");
        }
        if (kind == ItemKind.PATTERN && !out.has("variations")) {
            out.putArray("variations");
        }
        return out;
    }
}
