package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.IndexStrategy;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.QueryIndex;
import dev.aml.core.Rank;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The default index returns exactly what the scan returns, for random memories (ties, duplicates,
 * missing times, inactive items, all kinds, several agents), random changes after the first load and
 * random queries at random times.
 */
class DefaultIndexMatchesScanTest {

    static final Instant BASE = Instant.parse("2026-06-01T12:00:00Z");
    static final String[] AGENTS = {"a1", "a2", "a3"};
    static final String[] TAGS = {"t0", "t1", "t2", "t3", "t4"};
    static final Comparator<MemoryItem> BY_ID_LENGTH = Comparator.comparingInt(i -> i.id().length());

    @Property(tries = 150)
    void defaultIndexEqualsScan(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int size,
            @ForAll("queries") List<MemoryQuery> queries, @ForAll @IntRange(min = -30, max = 400) int nowDays,
            @ForAll @IntRange(min = 0, max = 60) int changes) {
        Random rnd = new Random(seed);
        MemoryStore store = MemoryStore.inMemory();
        for (int i = 0; i < size; i++) {
            AgentId agent = AgentId.of(AGENTS[rnd.nextInt(AGENTS.length)]);
            store.apply(List.of(Change.upsert(agent, randomItem(rnd))));
        }
        QueryIndex index = IndexStrategy.defaultIndex().create(store);
        store.addChangeListener(index::changed);
        index.rebuild();
        QueryIndex scan = IndexStrategy.scan().create(store);
        for (int i = 0; i < changes; i++) {
            randomChange(rnd, store);
        }
        Instant now = BASE.minus(Duration.ofDays(nowDays)).plusMillis(rnd.nextInt(86_400_000));
        for (MemoryQuery q : queries) {
            assertThat(index.query(q, now)).as("query %s at %s", q, now).containsExactlyElementsOf(scan.query(q, now));
        }
    }

    static MemoryItem randomItem(Random rnd) {
        String id = "i" + rnd.nextInt(400);
        List<String> tags = new ArrayList<>();
        for (int t = rnd.nextInt(3); t > 0; t--) {
            tags.add(TAGS[rnd.nextInt(TAGS.length)]);
        }
        Instant time = rnd.nextInt(20) == 0 ? null
                : BASE.minus(Duration.ofDays(rnd.nextInt(400))).minusMillis(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(86_400_000));
        boolean active = rnd.nextInt(8) != 0;
        RawJson body = RawJson.of(Map.of("type", "retry", "technique", "backoff " + rnd.nextInt(5)));
        switch (rnd.nextInt(3)) {
            case 0:
                return new Pattern(id, "x", time, body,
                        new PatternMetrics(rnd.nextInt(11) / 10.0, rnd.nextInt(150), 0, 0, RawJson.emptyObject()),
                        new Evolution(time, rnd.nextInt(10) == 0 ? null : time, 0, rnd.nextInt(11) / 10.0,
                                RawJson.emptyObject()), tags, active, RawJson.emptyObject());
            case 1:
                return new Solution(id, "x", time, body, body,
                        new Effectiveness(rnd.nextBoolean(), 5, rnd.nextInt(6), 0, RawJson.emptyObject()), tags, active,
                        rnd.nextInt(6), RawJson.emptyObject());
            default:
                return new Decision(id, "x", time, body, rnd.nextBoolean() ? null : DecisionOutcome.of(rnd.nextBoolean()),
                        tags, active, null, RawJson.emptyObject());
        }
    }

    static void randomChange(Random rnd, MemoryStore store) {
        AgentId agent = AgentId.of(AGENTS[rnd.nextInt(AGENTS.length)]);
        ItemKind kind = ItemKind.values()[rnd.nextInt(3)];
        List<MemoryItem> items = store.items(agent, kind);
        int what = rnd.nextInt(10);
        if (what < 4 || items.isEmpty()) {
            store.apply(List.of(Change.upsert(agent, randomItem(rnd))));
        } else if (what < 6) {
            store.apply(List.of(Change.delete(agent, kind, items.get(rnd.nextInt(items.size())).id())));
        } else if (what < 9) {
            MemoryItem target = items.get(rnd.nextInt(items.size()));
            Outcome o = rnd.nextBoolean() ? Outcome.success(Duration.ofMillis(50)) : Outcome.failure();
            Instant at = BASE.minus(Duration.ofDays(rnd.nextInt(30)));
            store.update(agent, kind, target.id(), item -> {
                if (item instanceof Pattern p) {
                    return p.withOutcome(o, at, 0.1);
                } else if (item instanceof Solution s) {
                    return s.withOutcome(o);
                }
                return ((Decision) item).withOutcome(o, at);
            });
        } else {
            List<MemoryItem> kept = new ArrayList<>(items.subList(0, items.size() / 2));
            store.apply(List.of(Change.replaceAll(agent, kind, kept)));
        }
    }

    @Provide
    Arbitrary<List<MemoryQuery>> queries() {
        Arbitrary<ItemKind[]> kinds = Arbitraries.of(ItemKind.class).array(ItemKind[].class).ofMinSize(1).ofMaxSize(3);
        Arbitrary<String[]> agents = Arbitraries.of(AGENTS).array(String[].class).ofMaxSize(2);
        Arbitrary<String[]> anyTags = Arbitraries.of(TAGS).array(String[].class).ofMaxSize(2);
        Arbitrary<String[]> allTags = Arbitraries.of(TAGS).array(String[].class).ofMaxSize(2).injectNull(0.7);
        Arbitrary<Double> minRate = Arbitraries.of(0.0, 0.0, 0.3, 0.5, 0.7, 1.0);
        Arbitrary<Integer> rank = Arbitraries.integers().between(0, Rank.values().length - 1);
        Arbitrary<Integer> page = Arbitraries.integers().between(0, 40 * 6 - 1); // limit 1..40, offset 0..5
        Arbitrary<Integer> extras = Arbitraries.integers().between(0, 63);
        return Combinators.combine(kinds, agents, anyTags, allTags, minRate, rank, page, extras)
                .as((k, a, any, all, min, r, pg, x) -> {
                    MemoryQuery.Builder b = MemoryQuery.builder().kinds(k).agents(a).anyTags(any).minSuccessRate(min)
                            .limit(1 + pg % 40).offset(pg / 40);
                    if (all != null) {
                        b.allTags(all);
                    }
                    Rank rk = Rank.values()[r];
                    if (rk == Rank.CUSTOM) {
                        b.rankBy(BY_ID_LENGTH);
                    } else {
                        b.rankBy(rk);
                    }
                    if ((x & 1) != 0) {
                        b.activeOnly(false);
                    }
                    if ((x & 2) != 0) {
                        b.minConfidence(0.4);
                    }
                    if ((x & 4) != 0) {
                        b.minExecutions(2);
                    }
                    if ((x & 8) != 0) {
                        b.textContains("BACKOFF 1");
                    }
                    if ((x & 48) == 16) {
                        b.lastUsedBetween(BASE.minus(Duration.ofDays(60)), null);
                    } else if ((x & 48) == 32) {
                        b.createdBetween(null, BASE.minus(Duration.ofDays(100)));
                    }
                    return b.build();
                }).list().ofMinSize(1).ofMaxSize(8);
    }
}
