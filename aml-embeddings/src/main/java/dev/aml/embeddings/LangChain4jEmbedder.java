package dev.aml.embeddings;

import dev.aml.core.relevance.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Embedder} backed by any LangChain4j {@link EmbeddingModel}: a local ONNX model, or a
 * remote one (OpenAI, Ollama, …) configured by the caller.
 *
 * <pre>{@code
 * Embedder local = LangChain4jEmbedder.allMiniLmL6V2();                 // offline, no API key
 * Embedder remote = LangChain4jEmbedder.of(openAiModel, "openai-text-embedding-3-small");
 * }</pre>
 *
 * <p>Thread-safe when the model is (the built-in ONNX models are).
 */
public final class LangChain4jEmbedder implements Embedder {

    /** Model id of {@link #allMiniLmL6V2()}. */
    public static final String ALL_MINILM_L6_V2_Q = "all-minilm-l6-v2-q";
    /** Dimension of {@link #allMiniLmL6V2()}. */
    public static final int ALL_MINILM_L6_V2_DIMENSION = 384;

    private static volatile LangChain4jEmbedder defaultModel;

    private final EmbeddingModel model;
    private final String modelId;
    private final int dimension;

    private LangChain4jEmbedder(EmbeddingModel model, String modelId, int dimension) {
        this.model = model;
        this.modelId = modelId;
        this.dimension = dimension;
    }

    /**
     * The offline default: all-MiniLM-L6-v2, quantized, run in-process by ONNX Runtime (about 23 MB,
     * loaded once per JVM on first use and shared).
     *
     * @return the shared default embedder
     */
    public static LangChain4jEmbedder allMiniLmL6V2() {
        LangChain4jEmbedder m = defaultModel;
        if (m == null) {
            synchronized (LangChain4jEmbedder.class) {
                m = defaultModel;
                if (m == null) {
                    m = new LangChain4jEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel(), ALL_MINILM_L6_V2_Q,
                            ALL_MINILM_L6_V2_DIMENSION);
                    defaultModel = m;
                }
            }
        }
        return m;
    }

    /**
     * Adapts a model, asking it for its dimension (which may embed a probe text once).
     *
     * @param model the LangChain4j model
     * @param modelId an id of the model and its settings; stored vectors made with another id are
     *     recomputed, so change it whenever the model changes
     * @return the embedder
     * @throws IllegalArgumentException if the id is blank or the model reports no dimension
     */
    public static LangChain4jEmbedder of(EmbeddingModel model, String modelId) {
        Objects.requireNonNull(model, "model");
        return of(model, modelId, model.dimension());
    }

    /**
     * Adapts a model whose dimension is known, without asking it.
     *
     * @param model the LangChain4j model
     * @param modelId an id of the model and its settings
     * @param dimension the length of its vectors
     * @return the embedder
     * @throws IllegalArgumentException if the id is blank or the dimension below 1
     */
    public static LangChain4jEmbedder of(EmbeddingModel model, String modelId, int dimension) {
        Objects.requireNonNull(model, "model");
        if (Objects.requireNonNull(modelId, "modelId").isBlank()) {
            throw new IllegalArgumentException("modelId must not be blank: it keys the stored vectors");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension of model '" + modelId + "' must be >= 1, was " + dimension);
        }
        return new LangChain4jEmbedder(model, modelId, dimension);
    }

    /** @return the LangChain4j model */
    public EmbeddingModel model() {
        return model;
    }

    @Override
    public float[] embed(String text) {
        return check(model.embed(text).content());
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> got = model.embedAll(segments).content();
        if (got.size() != texts.size()) {
            throw new IllegalStateException("model '" + modelId + "' returned " + got.size() + " embeddings for "
                    + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(got.size());
        for (Embedding e : got) {
            out.add(check(e));
        }
        return out;
    }

    private float[] check(Embedding e) {
        float[] v = e.vector();
        if (v.length != dimension) {
            throw new IllegalStateException("model '" + modelId + "' returned a vector of " + v.length
                    + " dimensions, expected " + dimension);
        }
        return v;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String toString() {
        return "LangChain4jEmbedder[" + modelId + ", " + dimension + " dimensions]";
    }
}
