package dev.aml.core.relevance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.ItemNotFoundException;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalTest {

    private static final AgentId CODER = AgentId.of("coder");
    private final MemoryStore store = MemoryStore.inMemory();

    private Retrieval retrieval() {
        return Retrieval.builder(store).clock(Clock.fixed(Items.NOW, ZoneOffset.UTC)).build();
    }

    private void put(MemoryItem... items) {
        for (MemoryItem i : items) {
            store.apply(List.of(Change.upsert(CODER, i)));
        }
    }

    private static List<String> ids(List<ScoredItem> r) {
        return r.stream().map(s -> s.item().id()).toList();
    }

    @Test
    void findsTheLexicallyMatchingPatternThroughCamelCaseAndPlurals() {
        put(Items.pattern("p1", "http-retry", Map.of("protocol", "http"), "exponentialBackoffWithJitter",
                        "retrying immediately overloads the upstream", 0.9, List.of("http")),
                Items.pattern("p2", "sql-deadlock", Map.of("db", "postgres"), "lock rows in a fixed order",
                        "deadlocks come from opposite lock orders", 0.9, List.of("sql")));
        List<ScoredItem> r = retrieval().query(MemoryQuery.patterns()
                .relevantTo(Situation.ofText("add jitter to the backoff between retries")).build());
        assertThat(ids(r)).containsExactly("p1");
        assertThat(r.get(0).relevance()).isGreaterThan(0);
    }

    @Test
    void everyExistingFilterStillApplies() {
        put(Items.pattern("good", "http-retry", Map.of(), "backoff", "retry with backoff", 0.9, List.of("http")),
                Items.pattern("bad", "http-retry", Map.of(), "backoff", "retry with backoff", 0.1, List.of("grpc")));
        Retrieval r = retrieval();
        Situation s = Situation.ofText("retry backoff");
        assertThat(ids(r.query(MemoryQuery.patterns().minSuccessRate(0.5).relevantTo(s).build())))
                .containsExactly("good");
        assertThat(ids(r.query(MemoryQuery.patterns().tags("grpc").relevantTo(s).build()))).containsExactly("bad");
        assertThat(r.query(MemoryQuery.solutions().relevantTo(s).build())).isEmpty();
        assertThat(r.query(MemoryQuery.patterns().agents("other").relevantTo(s).build())).isEmpty();
    }

    @Test
    void aProvenPatternBeatsAnEquallyMatchingFailingOne() {
        put(Items.pattern("failing", "http-retry", Map.of(), "backoff", "retry with backoff", 0.05, List.of()),
                Items.pattern("proven", "http-retry", Map.of(), "backoff", "retry with backoff", 0.95, List.of()));
        List<ScoredItem> r = retrieval().query(MemoryQuery.patterns()
                .relevantTo(Situation.ofText("retry with backoff")).build());
        assertThat(ids(r)).containsExactly("proven", "failing");
        assertThat(r.get(0).relevance()).isEqualTo(r.get(1).relevance());
        assertThat(r.get(0).weight()).isGreaterThan(r.get(1).weight());
    }

    @Test
    void contextSimilarityRanksTheItemWhoseContextMatches() {
        put(Items.pattern("pay", "api-call", Map.of("protocol", "http", "service", "payments"), "idempotency keys",
                        "safe retries", 0.8, List.of()),
                Items.pattern("search", "api-call", Map.of("protocol", "http", "service", "search"), "idempotency keys",
                        "safe retries", 0.8, List.of()));
        List<ScoredItem> r = retrieval().query(MemoryQuery.patterns().relevantTo(Situation.builder()
                .type("api-call").context(Map.of("protocol", "HTTP", "service", "payments")).build()).build());
        assertThat(ids(r)).containsExactly("pay", "search");
        Explanation.Contribution ctx = r.get(0).explanation().contributions().stream()
                .filter(c -> c.scorer().equals(RelevanceScorer.CONTEXT)).findFirst().orElseThrow();
        assertThat(ctx.score()).isEqualTo(1.0);
        assertThat(ctx.matched()).contains("service=payments");
    }

    @Test
    void explanationSharesAddUpToTheRelevanceAndTheScore() {
        put(Items.pattern("p1", "http-retry", Map.of("protocol", "http"), "exponential backoff", "retry storms",
                0.7, List.of()));
        ScoredItem s = retrieval().query(MemoryQuery.patterns().relevantTo(Situation.builder().type("http_retry")
                .text("retry storm").context(Map.of("protocol", "http")).build()).build()).get(0);
        double sum = s.explanation().contributions().stream().mapToDouble(Explanation.Contribution::share).sum();
        assertThat(sum).isCloseTo(s.relevance(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.score()).isCloseTo(s.explanation().relevanceShare() * s.relevance()
                + s.explanation().weightShare() * s.weight(), org.assertj.core.data.Offset.offset(1e-12));
        Explanation.Contribution lex = s.explanation().contributions().get(0);
        assertThat(lex.scorer()).isEqualTo(RelevanceScorer.LEXICAL);
        assertThat(lex.terms().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.explanation().toString()).contains("lexical", "context", "type");
    }

    @Test
    void solutionsForMatchesTheErrorTypeWithoutItsPackageAndHonoursTheContextThreshold() {
        put(Items.solution("s1", "java.net.SocketTimeoutException", "Read timed out", Map.of("service", "payments"),
                        "no read timeout on the client", "set a read timeout and retry", true),
                Items.solution("s2", "java.net.SocketTimeoutException", "Read timed out", Map.of("service", "search"),
                        "slow index", "add a replica", true),
                Items.solution("s3", "SQLException", "deadlock detected", Map.of(), "lock order", "sort keys", true),
                Items.solution("s4", "SocketTimeoutException", "connect timed out", Map.of(), "dns", "cache dns", true));
        List<ScoredItem> r = retrieval().solutionsFor("SocketTimeoutException", "read timed out while calling",
                Map.of("service", "payments"), MemoryQuery.builder().build());
        assertThat(ids(r)).containsExactly("s1", "s4");
    }

    @Test
    void similarToLeavesTheItemOutAndFindsItsNeighbour() {
        put(Items.pattern("a", "http-retry", Map.of("protocol", "http"), "exponential backoff", "retry storms", 0.8,
                        List.of()),
                Items.pattern("b", "http-retry", Map.of("protocol", "http"), "backoff with jitter", "retry storms",
                        0.8, List.of()),
                Items.pattern("c", "schema-migration", Map.of("db", "postgres"), "expand and contract",
                        "zero downtime", 0.8, List.of()));
        Retrieval r = retrieval();
        assertThat(ids(r.similarTo("a", MemoryQuery.builder().build()))).containsExactly("b");
        assertThatThrownBy(() -> r.similarTo("nope", MemoryQuery.builder().build()))
                .isInstanceOf(ItemNotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void followsWritesWithoutARebuild() {
        Retrieval r = retrieval();
        Situation s = Situation.ofText("deadlock");
        assertThat(r.query(MemoryQuery.builder().build(), s)).isEmpty();
        put(Items.pattern("d", "sql", Map.of(), "lock ordering", "avoids deadlocks", 0.8, List.of()));
        assertThat(ids(r.query(MemoryQuery.builder().build(), s))).containsExactly("d");
        put(Items.pattern("d", "sql", Map.of(), "lock ordering", "consistent order", 0.8, List.of()));
        assertThat(r.query(MemoryQuery.builder().build(), s)).isEmpty();
        put(Items.pattern("d", "sql", Map.of(), "deadlock retry", "consistent order", 0.8, List.of()));
        store.delete(CODER, ItemKind.PATTERN, "d");
        assertThat(r.query(MemoryQuery.builder().build(), s)).isEmpty();
        assertThat(r.indexedItems()).isZero();
    }

    @Test
    void aQueryWithoutSituationIsRejected() {
        assertThatThrownBy(() -> retrieval().query(MemoryQuery.patterns().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relevantTo");
        assertThatThrownBy(() -> MemoryQuery.patterns().rankBy(dev.aml.core.Rank.USAGE)
                .relevantTo(Situation.ofText("x")).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Situation.builder().build()).isInstanceOf(IllegalArgumentException.class);
    }
}
