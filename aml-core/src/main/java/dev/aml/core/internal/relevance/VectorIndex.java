package dev.aml.core.internal.relevance;

import dev.aml.core.relevance.VectorSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact cosine search over unit vectors kept one after the other in one {@code float[]}: a query
 * is one pass of dot products (8 independent accumulators, so the JIT keeps several multiply-adds in
 * flight) and a bounded heap. Removal moves the last vector into the hole, so the array stays dense.
 * Not thread-safe: {@link RetrievalEngine} guards it.
 */
public final class VectorIndex {

    private final int dimension;
    private float[] data;
    private DocKey[] keys;
    private long[] hashes;
    private int size;
    private final HashMap<DocKey, Integer> slots = new HashMap<>();

    /** @param dimension the length of every vector */
    public VectorIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
        }
        this.dimension = dimension;
        this.data = new float[16 * dimension];
        this.keys = new DocKey[16];
        this.hashes = new long[16];
    }

    /** @return the vector length */
    public int dimension() {
        return dimension;
    }

    /** @return how many vectors are held */
    public int size() {
        return size;
    }

    /**
     * @param key an item
     * @return the hash of the text its vector was made from, or {@code null} if it has none
     */
    public Long textHash(DocKey key) {
        Integer s = slots.get(key);
        return s == null ? null : hashes[s];
    }

    /**
     * Adds or replaces a vector, normalizing it to unit length.
     *
     * @param key the item
     * @param textHash hash of the embedded text
     * @param vector the vector, of {@link #dimension()} floats (not kept)
     */
    public void put(DocKey key, long textHash, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector of " + key.external() + " has " + vector.length
                    + " dimensions, the index " + dimension);
        }
        Integer s = slots.get(key);
        int slot;
        if (s != null) {
            slot = s;
        } else {
            if (size == keys.length) {
                int cap = keys.length * 2;
                keys = Arrays.copyOf(keys, cap);
                hashes = Arrays.copyOf(hashes, cap);
                data = Arrays.copyOf(data, cap * dimension);
            }
            slot = size++;
            slots.put(key, slot);
            keys[slot] = key;
        }
        hashes[slot] = textHash;
        normalizeInto(vector, data, slot * dimension, dimension);
    }

    /**
     * @param v a vector
     * @return a unit-length copy (all zeros stay zeros)
     */
    public static float[] normalized(float[] v) {
        float[] out = new float[v.length];
        normalizeInto(v, out, 0, v.length);
        return out;
    }

    private static void normalizeInto(float[] v, float[] out, int off, int dim) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double inv = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        for (int i = 0; i < dim; i++) {
            out[off + i] = (float) (v[i] * inv);
        }
    }

    /** @param key the item whose vector goes */
    public void remove(DocKey key) {
        Integer s = slots.remove(key);
        if (s == null) {
            return;
        }
        int last = --size;
        if (s != last) {
            System.arraycopy(data, last * dimension, data, s * dimension, dimension);
            keys[s] = keys[last];
            hashes[s] = hashes[last];
            slots.put(keys[s], s);
        }
        keys[last] = null;
    }

    /** Removes every vector. */
    public void clear() {
        slots.clear();
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    /**
     * @param query a unit query vector
     * @param key an item
     * @return the cosine of the item's vector with the query, or NaN if the item has none
     */
    public double cosine(float[] query, DocKey key) {
        Integer s = slots.get(key);
        return s == null ? Double.NaN : dot(query, data, s * dimension, dimension);
    }

    static float dot(float[] q, float[] d, int off, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 7 < dim; i += 8) {
            s0 += q[i] * d[off + i];
            s1 += q[i + 1] * d[off + i + 1];
            s2 += q[i + 2] * d[off + i + 2];
            s3 += q[i + 3] * d[off + i + 3];
            s4 += q[i + 4] * d[off + i + 4];
            s5 += q[i + 5] * d[off + i + 5];
            s6 += q[i + 6] * d[off + i + 6];
            s7 += q[i + 7] * d[off + i + 7];
        }
        for (; i < dim; i++) {
            s0 += q[i] * d[off + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** A search hit. @param key the item @param cosine its cosine with the query */
    public record Hit(DocKey key, double cosine) {
    }

    /**
     * Exact top-k by cosine (ties by key order).
     *
     * @param query a unit query vector
     * @param k how many
     * @return the best {@code k}, best first
     */
    public List<Hit> topK(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + dimension);
        }
        PriorityQueue<Hit> heap = new PriorityQueue<>(k + 1, (a, b) -> {
            int c = Double.compare(a.cosine, b.cosine);
            return c != 0 ? c : DocKey.ORDER.compare(b.key, a.key);
        });
        float worst = Float.NEGATIVE_INFINITY;
        float[] d = data;
        for (int s = 0; s < size; s++) {
            float c = dot(query, d, s * dimension, dimension);
            if (heap.size() < k || c >= worst) {
                heap.add(new Hit(keys[s], c));
                if (heap.size() > k) {
                    heap.poll();
                }
                if (heap.size() == k) {
                    worst = (float) heap.peek().cosine;
                }
            }
        }
        List<Hit> out = new ArrayList<>(heap);
        out.sort(heap.comparator().reversed());
        return out;
    }

    /**
     * @param modelId the model the vectors come from
     * @return every vector, for persistence
     */
    public VectorSnapshot snapshot(String modelId) {
        List<String> ks = new ArrayList<>(size);
        for (int s = 0; s < size; s++) {
            ks.add(keys[s].external());
        }
        return new VectorSnapshot(modelId, dimension, ks, Arrays.copyOf(hashes, size),
                Arrays.copyOf(data, size * dimension));
    }

    /**
     * Loads the vectors of a snapshot whose keys are known items.
     *
     * @param snapshot the snapshot (same dimension)
     * @param known external keys of the indexed items
     * @return how many vectors were taken
     */
    public int load(VectorSnapshot snapshot, Map<String, DocKey> known) {
        int taken = 0;
        float[] v = snapshot.vectors();
        float[] one = new float[dimension];
        List<String> ks = snapshot.keys();
        for (int i = 0; i < ks.size(); i++) {
            DocKey key = known.get(ks.get(i));
            if (key != null) {
                System.arraycopy(v, i * dimension, one, 0, dimension);
                put(key, snapshot.textHashes()[i], one);
                taken++;
            }
        }
        return taken;
    }
}
