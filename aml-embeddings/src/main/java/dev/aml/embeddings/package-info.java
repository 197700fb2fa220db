/**
 * Semantic scoring for AML: {@link dev.aml.embeddings.LangChain4jEmbedder} adapts any LangChain4j
 * {@code EmbeddingModel} to aml-core's {@link dev.aml.core.relevance.Embedder} SPI and ships the
 * in-process, offline default all-MiniLM-L6-v2 (quantized, 384 dimensions), and
 * {@link dev.aml.embeddings.VectorSidecar} keeps the item vectors beside the memory, in a versioned,
 * checksummed file under {@code global/}, never in Loom's item files.
 */
@NullMarked
package dev.aml.embeddings;

import org.jspecify.annotations.NullMarked;
