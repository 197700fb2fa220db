package dev.aml.benchmarks;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Evolution;
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
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic memories and query mixes for the runtime benchmarks: patterns spread evenly over
 * {@link #AGENTS} agents, 1-3 of {@link #TAGS} tags each (tag popularity Zipf-skewed), success rate
 * and confidence uniform, 0-200 executions, last use uniform over the year before {@link #NOW}.
 * Bodies are shared among patterns (queries here do not read them) to keep setup fast.
 */
final class MemoryFixtures {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final int AGENTS = 4;
    static final int TAGS = 20;

    private MemoryFixtures() {
    }

    static AgentId agent(int i) {
        return AgentId.of("agent" + i);
    }

    static String tag(int i) {
        return "tag" + i;
    }

    /** @return an index in [0, n) drawn from a Zipf(1) distribution (0 most likely) */
    static int zipf(SplittableRandom rnd, int n) {
        double h = 0;
        for (int i = 1; i <= n; i++) {
            h += 1.0 / i;
        }
        double u = rnd.nextDouble() * h;
        double acc = 0;
        for (int i = 1; i <= n; i++) {
            acc += 1.0 / i;
            if (u <= acc) {
                return i - 1;
            }
        }
        return n - 1;
    }

    /** Fills {@code store} with {@code size} patterns, one atomic batch per agent. */
    static void fill(MemoryStore store, int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RawJson[] bodies = new RawJson[16];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = RawJson.of(Map.of("type", "retry", "context", Map.of("variant", i),
                    "approach", Map.of("technique", "backoff " + i, "rationale", "transient faults")));
        }
        List<List<MemoryItem>> perAgent = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
            perAgent.add(new ArrayList<>(size / AGENTS + 1));
        }
        for (int i = 0; i < size; i++) {
            int n = 1 + rnd.nextInt(3);
            List<String> tags = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                String tag = tag(zipf(rnd, TAGS));
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            Instant used = NOW.minus(Duration.ofMillis((long) (rnd.nextDouble() * 365 * 86_400_000L)));
            Pattern p = new Pattern(String.format("%08x-0000-4000-8000-%012x", i, (long) i), "agent" + (i % AGENTS),
                    used, bodies[i % bodies.length],
                    new PatternMetrics(rnd.nextDouble(), rnd.nextInt(201), 100, 0, RawJson.emptyObject()),
                    new Evolution(used, used, 0, 0.1 + 0.9 * rnd.nextDouble(), RawJson.emptyObject()), tags, true,
                    RawJson.emptyObject());
            perAgent.get(i % AGENTS).add(p);
        }
        List<Change> changes = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
            changes.add(Change.replaceAll(agent(a), dev.aml.core.ItemKind.PATTERN, perAgent.get(a)));
        }
        store.apply(changes);
    }

    /**
     * @return {@code n} queries of the common shape (one agent, one Zipf-skewed tag, a minimum success
     *     rate of 0.5, 0.6 or 0.7, top 10 by weight)
     */
    static MemoryQuery[] commonQueries(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] rates = {0.5, 0.6, 0.7};
        MemoryQuery[] qs = new MemoryQuery[n];
        for (int i = 0; i < n; i++) {
            qs[i] = MemoryQuery.patterns().agents(agent(rnd.nextInt(AGENTS)).name()).tags(tag(zipf(rnd, TAGS)))
                    .minSuccessRate(rates[rnd.nextInt(rates.length)]).limit(10).build();
        }
        return qs;
    }
}
