package dev.aml.maintenance.internal.migration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.ItemKind;
import dev.aml.maintenance.SchemaVersion;
import java.util.List;

/**
 * One schema step. A step maps one item (a JSON object) to its new shape; it returns a new object
 * and never changes its argument. Steps are idempotent: an item already in the target shape comes
 * back equal.
 */
interface MigrationStep {

    /** @return the version this step starts from */
    SchemaVersion from();

    /** @return the version this step produces */
    SchemaVersion to();

    /**
     * @param kind the item's kind
     * @param item the item (not modified)
     * @param agentFolder the agent folder the item was read from
     * @param now the migration time as ISO text (UTC, {@code Z})
     * @return the migrated copy
     * @throws IllegalArgumentException if the item lacks a field the step needs (the message names it)
     */
    ObjectNode apply(ItemKind kind, ObjectNode item, String agentFolder, String now);

    /** @return the built-in steps, oldest first */
    static List<MigrationStep> builtIns() {
        return List.of(new AddTagsStep(), new AddMetadataStep(), new ReshapeTo200Step());
    }
}
