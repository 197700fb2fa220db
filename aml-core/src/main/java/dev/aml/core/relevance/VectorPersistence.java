package dev.aml.core.relevance;

import java.util.Optional;

/**
 * Where a {@link Retrieval} keeps item embeddings between runs, so that vectors are recomputed only
 * for items whose embedded text changed. Vectors are derived data: they never go into the item
 * files. {@code aml-embeddings} has a file implementation (a versioned, checksummed sidecar under
 * {@code global/}); {@link #none()} keeps them in memory only.
 */
public interface VectorPersistence {

    /** @return a persistence that stores nothing (every run embeds every item once) */
    static VectorPersistence none() {
        return new VectorPersistence() {
            @Override
            public Optional<VectorSnapshot> load() {
                return Optional.empty();
            }

            @Override
            public void save(VectorSnapshot snapshot) {
                // nothing to keep
            }

            @Override
            public String describe() {
                return "no vector persistence";
            }
        };
    }

    /**
     * @return the stored vectors, or empty when none are stored
     * @throws dev.aml.core.CorruptDataException if stored vectors exist but cannot be read; the
     *     retrieval then recomputes them and leaves the file alone until {@link Retrieval#rebuild()}
     */
    Optional<VectorSnapshot> load();

    /**
     * Replaces the stored vectors atomically (all or nothing).
     *
     * @param snapshot the vectors
     */
    void save(VectorSnapshot snapshot);

    /** @return where the vectors live, for messages */
    String describe();
}
