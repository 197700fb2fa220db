package dev.aml.maintenance.internal.prune;

import dev.aml.core.MemoryItem;

/**
 * The serialized size of an item in bytes: what removing it frees, and what the space strategy
 * counts. One interface so that the estimate can be replaced by the store's exact codec.
 */
@FunctionalInterface
public interface ItemSizer {

    /**
     * @param item an item
     * @return its size in bytes, at least 2
     */
    long bytes(MemoryItem item);

    /** @return the default sizer: the estimated length of the item's compact Loom JSON ({@link ItemSizes}) */
    static ItemSizer standard() {
        return ItemSizes::compactSize;
    }
}
