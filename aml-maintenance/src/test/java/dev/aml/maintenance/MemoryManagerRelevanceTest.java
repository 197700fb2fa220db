package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.relevance.Embedder;
import dev.aml.core.contract.LetterEmbedder;
import dev.aml.core.relevance.Situation;
import dev.aml.core.relevance.VectorPersistence;
import dev.aml.core.relevance.VectorSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryManagerRelevanceTest {

    /** Keeps the last saved snapshot in memory and counts saves. */
    static final class Kept implements VectorPersistence {
        final List<VectorSnapshot> saves = new ArrayList<>();

        @Override
        public Optional<VectorSnapshot> load() {
            return saves.isEmpty() ? Optional.empty() : Optional.of(saves.get(saves.size() - 1));
        }

        @Override
        public void save(VectorSnapshot snapshot) {
            saves.add(snapshot);
        }

        @Override
        public String describe() {
            return "kept in a list";
        }
    }

    static final Embedder LETTERS = new LetterEmbedder();

    @Test
    void queriesWithASituationAreRankedByRelevanceAndFollowWrites() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            AgentMemory coder = aml.agent("coder");
            coder.patterns().record(PatternDraft.of("sql-deadlock", Map.of("db", "postgres"))
                    .approach("lock rows in a fixed order", "opposite lock orders deadlock"));
            Pattern retry = coder.patterns().record(PatternDraft.of("http-retry", Map.of("protocol", "http"))
                    .approach("exponential backoff with jitter", "synchronized retries overload the upstream"));
            List<Pattern> hits = coder.patterns().query(MemoryQuery.patterns()
                    .relevantTo(Situation.ofText("clients retrying at once overload the server")).build());
            assertThat(hits).extracting(Pattern::id).containsExactly(retry.id());
            coder.patterns().delete(retry.id());
            List<MemoryItem> after = aml.query(MemoryQuery.builder()
                    .relevantTo(Situation.ofText("clients retrying at once overload the server")).build());
            assertThat(after).isEmpty();
        }
    }

    @Test
    void optimizeIndexRebuildsAndSavesTheVectorsAndCloseSavesChangedOnes() {
        Kept kept = new Kept();
        try (MemoryManager aml = MemoryManager.builder().embedder(LETTERS).vectors(kept).build()) {
            aml.agent("coder").patterns().record(PatternDraft.of("http-retry", Map.of())
                    .approach("backoff", "transient faults"));
            aml.optimize().rebuildIndex();
            assertThat(kept.saves).hasSize(1);
            assertThat(kept.saves.get(0).keys()).hasSize(1);
            aml.agent("coder").patterns().record(PatternDraft.of("sql", Map.of()).approach("lock order", "deadlock"));
            assertThat(aml.relevance().query(MemoryQuery.builder().build(), Situation.ofText("deadlock lock order")))
                    .isNotEmpty();
        }
        assertThat(kept.saves).hasSize(2);
        assertThat(kept.saves.get(1).keys()).hasSize(2);
    }
}
