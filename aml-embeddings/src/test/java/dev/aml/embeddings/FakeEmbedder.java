package dev.aml.embeddings;

import dev.aml.core.relevance.Embedder;
import java.util.concurrent.atomic.AtomicInteger;

/** A deterministic bag-of-letters embedder that counts its calls. */
final class FakeEmbedder implements Embedder {
    final AtomicInteger texts = new AtomicInteger();

    @Override
    public float[] embed(String text) {
        texts.incrementAndGet();
        float[] v = new float[26];
        for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                v[c - 'a']++;
            }
        }
        return v;
    }

    @Override
    public int dimension() {
        return 26;
    }

    @Override
    public String modelId() {
        return "letters";
    }
}
