package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The common query (agent + tag + minimum success rate, top 10 by weight) examines a small fraction. */
class DefaultIndexVisitsFewEntriesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void topTenByWeightLooksAtAFewEntriesOf100k() {
        MemoryStore store = MemoryStore.inMemory();
        SplittableRandom rnd = new SplittableRandom(1);
        AgentId agent = AgentId.of("coder");
        List<MemoryItem> items = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            Instant used = NOW.minus(Duration.ofMillis((long) (rnd.nextDouble() * 365 * 86_400_000L)));
            items.add(new Pattern("p" + i, "coder", used, RawJson.emptyObject(),
                    new PatternMetrics(rnd.nextDouble(), rnd.nextInt(201), 0, 0, RawJson.emptyObject()),
                    new Evolution(used, used, 0, rnd.nextDouble(), RawJson.emptyObject()),
                    List.of("t" + rnd.nextInt(3)), true, RawJson.emptyObject()));
        }
        store.apply(List.of(Change.replaceAll(agent, ItemKind.PATTERN, items)));
        DefaultIndex index = new DefaultIndex(store);
        index.rebuild();
        MemoryQuery q = MemoryQuery.patterns().agents("coder").tags("t0").minSuccessRate(0.6).limit(10).build();
        List<MemoryItem> top = index.query(q, NOW);
        assertThat(top).hasSize(10).containsExactlyElementsOf(new ScanIndex(store).query(q, NOW));
        assertThat(index.entriesVisited()).as("entries examined of ~33k in the tag's postings").isLessThan(200);
    }
}
