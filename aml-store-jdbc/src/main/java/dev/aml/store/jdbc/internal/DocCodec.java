package dev.aml.store.jdbc.internal;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;

/** Turns items into the exact Loom JSON kept in the {@code doc} column, and back. Thread-safe. */
public interface DocCodec {

    /**
     * @param item the item
     * @return its Loom JSON object, compact
     */
    String encode(MemoryItem item);

    /**
     * @param kind the kind the row says it is
     * @param json the row's {@code doc}
     * @return the item
     * @throws RuntimeException if the text is not a valid item of that kind (the caller reports where)
     */
    MemoryItem decode(ItemKind kind, String json);
}
