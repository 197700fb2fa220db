package dev.aml.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.contract.TestItems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryQueryTest {

    private static final AgentId CODER = AgentId.of("coder");

    @Test
    void equalQueriesAreEqualWhateverTheOrderOfTheirArguments() {
        MemoryQuery a = MemoryQuery.patterns().agents("coder", "tester").tags("http", "db").textContains("Retry")
                .build();
        MemoryQuery b = MemoryQuery.patterns().tags("db", "http", "db").agents("tester", "coder")
                .textContains("retry").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.text()).isEqualTo("retry");
    }

    @Test
    void defaultsAreActiveOnlyByWeightWithTheDefaultLimit() {
        MemoryQuery q = MemoryQuery.builder().build();
        assertThat(q.kinds()).containsExactlyInAnyOrder(ItemKind.values());
        assertThat(q.agents()).isEmpty();
        assertThat(q.activeOnly()).isTrue();
        assertThat(q.rank()).isEqualTo(Rank.WEIGHT);
        assertThat(q.limit()).isEqualTo(MemoryQuery.DEFAULT_LIMIT);
        assertThat(q.offset()).isZero();
    }

    @Test
    void eachOptionCanBeSetOnceAndTheErrorNamesTheOldValue() {
        assertThatThrownBy(() -> MemoryQuery.builder().limit(5).limit(6))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("limit was already set to 5");
        assertThatThrownBy(() -> MemoryQuery.patterns().kinds(ItemKind.DECISION))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[PATTERN]");
        assertThatThrownBy(() -> MemoryQuery.builder().tags("a").anyTags("b"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MemoryQuery.builder().rankBy(Rank.USAGE).rankBy(Comparator.comparing(MemoryItem::id)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("USAGE");
    }

    @Test
    void badValuesAreRejectedWithTheFieldAndValue() {
        assertThatThrownBy(() -> MemoryQuery.builder().minSuccessRate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minSuccessRate").hasMessageContaining("1.5");
        assertThatThrownBy(() -> MemoryQuery.builder().minConfidence(Double.NaN).build())
                .hasMessageContaining("minConfidence");
        assertThatThrownBy(() -> MemoryQuery.builder().limit(0).build()).hasMessageContaining("limit must be >= 1");
        assertThatThrownBy(() -> MemoryQuery.builder().offset(-1).build()).hasMessageContaining("offset");
        assertThatThrownBy(() -> MemoryQuery.builder().minExecutions(-3).build()).hasMessageContaining("-3");
        assertThatThrownBy(() -> MemoryQuery.builder().kinds().build()).hasMessageContaining("kinds");
        assertThatThrownBy(() -> MemoryQuery.builder()
                .createdBetween(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")).build())
                .hasMessageContaining("created window is empty");
        assertThatThrownBy(() -> MemoryQuery.builder().rankBy(Rank.CUSTOM)).hasMessageContaining("rankBy(Comparator)");
        assertThatThrownBy(() -> MemoryQuery.builder().agents("../etc")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void toBuilderStartsFromTheQueryAndAllowsOneChangePerOption() {
        MemoryQuery q = MemoryQuery.patterns().limit(3).build();
        MemoryQuery r = q.toBuilder().limit(7).build();
        assertThat(r.limit()).isEqualTo(7);
        assertThat(r.kinds()).containsExactly(ItemKind.PATTERN);
        assertThat(q.withAgents(Set.of(CODER)).agents()).containsExactly(CODER);
    }

    @Test
    void matchesAppliesEveryFilter() {
        Pattern p = TestItems.pattern("p1", "coder", 0.8, 5, 0.7, TestItems.NOW.minusSeconds(86_400));
        assertThat(MemoryQuery.patterns().build().matches(CODER, p)).isTrue();
        assertThat(MemoryQuery.decisions().build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().agents("tester").build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().tags("db", "http").build().matches(CODER, p)).isTrue();
        assertThat(MemoryQuery.builder().allTags("db", "http").build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().minSuccessRate(0.81).build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().minSuccessRate(0.8).build().matches(CODER, p)).isTrue();
        assertThat(MemoryQuery.builder().minConfidence(0.71).build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().minExecutions(6).build().matches(CODER, p)).isFalse();
        assertThat(MemoryQuery.builder().build().matches(CODER, p.withActive(false))).isFalse();
        assertThat(MemoryQuery.builder().activeOnly(false).build().matches(CODER, p.withActive(false))).isTrue();
        assertThat(MemoryQuery.builder().textContains("BACKOFF p1").build().matches(CODER, p)).isTrue();
        assertThat(MemoryQuery.builder().textContains("technique").build().matches(CODER, p))
                .as("keys are not text").isFalse();
        Instant used = p.lastUsed();
        assertThat(MemoryQuery.builder().lastUsedBetween(used, null).build().matches(CODER, p)).isTrue();
        assertThat(MemoryQuery.builder().lastUsedBetween(null, used).build().matches(CODER, p))
                .as("upper bound is exclusive").isFalse();
        assertThat(MemoryQuery.builder().createdBetween(used.plusSeconds(1), null).build().matches(CODER, p)).isFalse();
    }

    @Test
    void tagsMatchNeedsOneOfAnyAndAllOfAll() {
        MemoryQuery q = MemoryQuery.builder().anyTags("a", "b").allTags("c").build();
        assertThat(q.tagsMatch(List.of("a", "c"))).isTrue();
        assertThat(q.tagsMatch(List.of("a"))).isFalse();
        assertThat(q.tagsMatch(List.of("c", "d"))).isFalse();
    }
}
