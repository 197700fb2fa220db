package dev.aml.core.relevance;

import java.util.List;
import java.util.Objects;

/**
 * A set of stored embeddings, one per item: its key ({@code agent/kind/id}), a 64-bit hash of the
 * text that was embedded (so a changed item is re-embedded), and its vector, all vectors of one
 * model and dimension, laid out one after the other in {@link #vectors()}.
 *
 * <p>Arrays are not copied (snapshots hold up to millions of floats): callers hand them over and
 * must not change them afterwards.
 */
public final class VectorSnapshot {

    private final String modelId;
    private final int dimension;
    private final List<String> keys;
    private final long[] textHashes;
    private final float[] vectors;

    /**
     * @param modelId the {@link Embedder#modelId()} the vectors were made with
     * @param dimension the length of every vector, at least 1
     * @param keys one {@code agent/kind/id} per vector
     * @param textHashes one text hash per vector
     * @param vectors {@code keys.size() · dimension} floats
     * @throws IllegalArgumentException if the sizes disagree
     */
    public VectorSnapshot(String modelId, int dimension, List<String> keys, long[] textHashes, float[] vectors) {
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
        }
        this.dimension = dimension;
        this.keys = List.copyOf(keys);
        this.textHashes = Objects.requireNonNull(textHashes, "textHashes");
        this.vectors = Objects.requireNonNull(vectors, "vectors");
        if (textHashes.length != this.keys.size() || (long) this.keys.size() * dimension != vectors.length) {
            throw new IllegalArgumentException("a snapshot of " + this.keys.size() + " keys needs as many hashes ("
                    + textHashes.length + ") and " + ((long) this.keys.size() * dimension) + " floats ("
                    + vectors.length + ")");
        }
    }

    /** @return the model the vectors were made with */
    public String modelId() {
        return modelId;
    }

    /** @return the length of every vector */
    public int dimension() {
        return dimension;
    }

    /** @return the item keys, {@code agent/kind/id} */
    public List<String> keys() {
        return keys;
    }

    /** @return the text hashes, one per key (not a copy) */
    public long[] textHashes() {
        return textHashes;
    }

    /** @return all vectors, one after the other (not a copy) */
    public float[] vectors() {
        return vectors;
    }

    /** @return how many vectors the snapshot holds */
    public int size() {
        return keys.size();
    }
}
