package dev.aml.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.contract.LetterEmbedder;
import dev.aml.core.relevance.RelevanceScorer;
import dev.aml.core.relevance.Retrieval;
import dev.aml.core.relevance.RetrievalSet;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vectors are computed once, kept in the sidecar, recomputed only for changed items, rebuilt on demand. */
class SemanticRetrievalTest {

    @TempDir
    Path root;

    @Test
    void vectorsAreReusedFromTheSidecarAndRecomputedOnlyForChangedItems() throws IOException {
        RetrievalSet set = RetrievalSet.load();
        MemoryStore store = set.store();
        LetterEmbedder e1 = new LetterEmbedder();
        VectorSidecar sidecar = VectorSidecar.in(root);
        Retrieval r1 = Retrieval.builder(store).embedder(e1).vectors(sidecar).build();
        List<ScoredItem> first = r1.query(MemoryQuery.builder().limit(3).build(), Situation.ofText("deadlock"));
        assertThat(first).isNotEmpty();
        assertThat(first.get(0).explanation().contributions()).extracting(c -> c.scorer())
                .contains(RelevanceScorer.SEMANTIC);
        assertThat(e1.texts.get()).isEqualTo(set.items().size() + 1); // every item once, plus the query
        r1.close();
        assertThat(sidecar.load().orElseThrow().size()).isEqualTo(set.items().size());

        // a new retrieval over the same memory embeds only what changed
        Map.Entry<AgentId, MemoryItem> some = set.items().get(7);
        Pattern p = (Pattern) some.getValue();
        LetterEmbedder e2 = new LetterEmbedder();
        Retrieval r2 = Retrieval.builder(store).embedder(e2).vectors(sidecar).build();
        store.apply(List.of(Change.upsert(some.getKey(), p.withTags(List.of("tags", "are", "not", "embedded")))));
        r2.query(MemoryQuery.builder().build(), Situation.ofText("heap"));
        assertThat(e2.texts.get()).isEqualTo(1); // only the query: the embedded text did not change
        store.apply(List.of(Change.upsert(some.getKey(), new Pattern(p.id(), p.agent(), p.timestamp(),
                RawJson.parse("{\"type\":\"x\",\"approach\":{\"technique\":\"changed text\"}}"), p.metrics(),
                p.evolution(), p.tags(), true, p.extra()))));
        r2.query(MemoryQuery.builder().build(), Situation.ofText("heap"));
        assertThat(e2.texts.get()).isEqualTo(3); // the changed item and the second query
        r2.close();

        // a corrupt sidecar is left alone until a rebuild rewrites it
        byte[] bytes = Files.readAllBytes(sidecar.file());
        bytes[bytes.length / 2] ^= 1;
        Files.write(sidecar.file(), bytes);
        LetterEmbedder e3 = new LetterEmbedder();
        Retrieval r3 = Retrieval.builder(store).embedder(e3).vectors(sidecar).build();
        r3.query(MemoryQuery.builder().build(), Situation.ofText("heap"));
        r3.close();
        assertThat(Files.readAllBytes(sidecar.file())).isEqualTo(bytes);
        r3.rebuild();
        assertThat(sidecar.load().orElseThrow().size()).isEqualTo(set.items().size());
    }
}
