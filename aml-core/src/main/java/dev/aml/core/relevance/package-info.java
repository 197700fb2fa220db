/**
 * Relevance retrieval: "what have I (or any agent) learned that applies to <em>this</em> situation?"
 *
 * <p>A {@link dev.aml.core.relevance.Situation} describes what an agent faces (a task type, a
 * context such as {@code {"protocol": "http"}}, free text, tags, an error). {@link
 * dev.aml.core.relevance.Retrieval} scores every candidate item against it with a set of {@link
 * dev.aml.core.relevance.RelevanceScorer scorers} (context-key similarity, BM25 lexical relevance,
 * fuzzy type matching, and cosine similarity of embeddings when an {@link
 * dev.aml.core.relevance.Embedder} is configured), combines their weighted mean with the item's own
 * weight as {@link dev.aml.core.relevance.RelevanceConfig} documents, and returns {@link
 * dev.aml.core.relevance.ScoredItem scored items} that each {@linkplain
 * dev.aml.core.relevance.Explanation explain} their score. Every filter of {@link
 * dev.aml.core.MemoryQuery} still applies.
 */
@NullMarked
package dev.aml.core.relevance;

import org.jspecify.annotations.NullMarked;
