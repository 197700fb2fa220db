package dev.aml.store.jdbc.internal;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.loom.LoomJson;
import java.nio.charset.StandardCharsets;

/**
 * The {@code doc} column holds exactly what the file store writes for one item ({@link LoomJson}), so
 * an item read from PostgreSQL equals the item read from a Loom file, and export/import are lossless.
 *
 * @param json the Loom codec
 */
public record LoomItemCodec(LoomJson json) implements ItemCodec {

    @Override
    public String encode(MemoryItem item) {
        return new String(json.writeItem(item), StandardCharsets.UTF_8);
    }

    @Override
    public MemoryItem decode(ItemKind kind, String doc) {
        return json.readItem(doc.getBytes(StandardCharsets.UTF_8), kind, "row");
    }
}
