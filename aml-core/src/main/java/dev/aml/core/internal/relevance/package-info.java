/**
 * Implementation of relevance retrieval (not exported to users): the tokenizer, the item text
 * extraction, the incremental BM25 index, the exact vector index and the engine that combines them.
 */
@NullMarked
package dev.aml.core.internal.relevance;

import org.jspecify.annotations.NullMarked;
