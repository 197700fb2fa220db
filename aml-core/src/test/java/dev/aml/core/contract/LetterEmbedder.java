package dev.aml.core.contract;

import dev.aml.core.relevance.Embedder;
import java.util.concurrent.atomic.AtomicInteger;

/** A deterministic bag-of-letters embedder that counts the texts it embedded (in the test-jar for other modules). */
public final class LetterEmbedder implements Embedder {
    /** Texts embedded so far. */
    public final AtomicInteger texts = new AtomicInteger();

    /** A fresh embedder with a zero count. */
    public LetterEmbedder() {
    }

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
