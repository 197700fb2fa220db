/**
 * AML for LangChain4j: {@link dev.aml.langchain4j.AmlTools} (tools for {@code AiServices}, the agent
 * fixed or taken from {@code @ToolMemoryId}), {@link dev.aml.langchain4j.AmlContentRetriever} (the
 * relevant memory as RAG content). The {@code EmbeddingModel} to {@code Embedder} adapter is
 * aml-embeddings' {@code dev.aml.embeddings.LangChain4jEmbedder}, which this module brings along.
 */
@NullMarked
package dev.aml.langchain4j;

import org.jspecify.annotations.NullMarked;
