package dev.aml.core.relevance;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a vector for semantic scoring: the SPI behind optional semantic and hybrid
 * retrieval. aml-core ships no implementation (it has no model); {@code aml-embeddings} adapts any
 * LangChain4j {@code EmbeddingModel} and ships the offline default all-MiniLM-L6-v2.
 *
 * <p>Implementations must be thread-safe and deterministic for a given {@link #modelId()}: stored
 * vectors are reused as long as the model id and the text are unchanged. A broken embedder cannot
 * corrupt the memory: its failures surface as {@link dev.aml.core.AmlException}s naming it, and a
 * vector of the wrong dimension is rejected.
 */
public interface Embedder {

    /**
     * @param text the text to embed, never empty
     * @return its vector, of length {@link #dimension()}; need not be normalized
     */
    float[] embed(String text);

    /**
     * Embeds several texts; the default calls {@link #embed} for each. Implementations that batch
     * should override it.
     *
     * @param texts the texts, none empty
     * @return one vector per text, in order
     */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(embed(t));
        }
        return out;
    }

    /** @return the length of every vector, at least 1 */
    int dimension();

    /**
     * @return an id of the model and its settings, e.g. {@code "all-minilm-l6-v2-q"}: stored vectors
     *     made with another id are recomputed
     */
    String modelId();
}
