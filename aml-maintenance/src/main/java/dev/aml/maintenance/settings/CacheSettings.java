package dev.aml.maintenance.settings;

/**
 * The query cache.
 *
 * @param maxResults the most query results cached, at least 0; 0 turns the cache off (default
 *     {@value dev.aml.maintenance.MemoryManager#DEFAULT_CACHE_SIZE})
 */
public record CacheSettings(long maxResults) {

    /**
     * Validates the size.
     *
     * @throws IllegalArgumentException if {@code maxResults} is negative
     */
    public CacheSettings {
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must be >= 0 (0 turns the cache off), was " + maxResults);
        }
    }

    /** @return the default cache of {@value dev.aml.maintenance.MemoryManager#DEFAULT_CACHE_SIZE} results */
    public static CacheSettings defaults() {
        return new CacheSettings(dev.aml.maintenance.MemoryManager.DEFAULT_CACHE_SIZE);
    }
}
