package dev.aml.loom;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of Loom-shaped items with arbitrary unknown fields, shared by the store's tests. */
final class ItemArbitraries {

    private ItemArbitraries() {
    }

    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMaxLength(12),
                Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(20),
                Arbitraries.of("", "é ü 中文", "quote \" and \\ backslash", "line\nbreak\ttab", "emoji 😀"));
    }

    static Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 4_102_444_800L); // 1970..2100
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    static Arbitrary<Instant> optionalInstants() {
        return instants().injectNull(0.2);
    }

    /** Free JSON values: scalars, lists and objects, nested two deep. */
    static Arbitrary<Object> jsonValues(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(text().map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().between(-1e12, 1e12).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        if (depth <= 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(1, jsonValues(depth - 1).list().ofMaxSize(3).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, objects(depth - 1).map(m -> (Object) m)));
    }

    static Arbitrary<Map<String, Object>> objects(int depth) {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), jsonValues(depth))
                .ofMaxSize(4).map(LinkedHashMap::new);
    }

    /** Unknown fields: keys start with "custom" so they never collide with a known field or alias. */
    static Arbitrary<RawJson> extras() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6).map(k -> "custom" + k), jsonValues(1))
                .ofMaxSize(3).map(m -> RawJson.of(new LinkedHashMap<>(m)));
    }

    static Arbitrary<RawJson> bodies() {
        return objects(2).map(RawJson::of);
    }

    static Arbitrary<List<String>> tags() {
        return text().list().ofMaxSize(4);
    }

    static Arbitrary<Double> finite() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(-1e9, 1e9),
                Arbitraries.of(0.0, 1.0, 0.5, 1e-7, 123456.789));
    }

    static Arbitrary<Pattern> patterns() {
        Arbitrary<PatternMetrics> metrics = Combinators.combine(finite(), Arbitraries.longs(), finite(),
                Arbitraries.longs().between(0, 1000), extras()).as(PatternMetrics::new);
        Arbitrary<Evolution> evolution = Combinators.combine(optionalInstants(), optionalInstants(),
                Arbitraries.longs().between(0, 1_000_000), finite(), extras()).as(Evolution::new);
        Arbitrary<Boolean> v2 = Arbitraries.of(false, false, true);
        return Combinators.combine(text(), text(), optionalInstants(), bodies(), metrics, evolution, tags(),
                Arbitraries.of(true, false)).as((id, agent, ts, body, m, e, tags, active) ->
                        new Pattern(id, agent, ts, body, m, e, tags, active, RawJson.emptyObject()))
                .flatMap(p -> Combinators.combine(extras(), v2).as((x, two) -> {
                    Map<String, Object> extra = new LinkedHashMap<>(Map.of());
                    if (two) {
                        extra.put("version", "2.0.0");
                    }
                    x.objectTree().properties().forEach(en -> extra.put(en.getKey(), en.getValue()));
                    return new Pattern(p.id(), p.agent(), p.timestamp(), p.pattern(), p.metrics(), p.evolution(),
                            p.tags(), p.active(), extra.isEmpty() ? RawJson.emptyObject() : RawJson.of(extra));
                }));
    }

    static Arbitrary<Solution> solutions() {
        Arbitrary<Effectiveness> eff = Combinators.combine(Arbitraries.of(true, false), finite(),
                Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, 1000), extras())
                .as(Effectiveness::new);
        return Combinators.combine(text(), text(), optionalInstants(), bodies(), bodies(), eff, tags(),
                Arbitraries.of(true, false)).as((id, agent, ts, problem, fix, e, tags, active) ->
                        new Solution(id, agent, ts, problem, fix, e, tags, active, 0, RawJson.emptyObject()))
                .flatMap(s -> Combinators.combine(Arbitraries.longs().between(0, 1_000_000), extras()).as((n, x) ->
                        new Solution(s.id(), s.agent(), s.timestamp(), s.problem(), s.solution(), s.effectiveness(),
                                s.tags(), s.active(), n, x)));
    }

    static Arbitrary<Decision> decisions() {
        Arbitrary<DecisionOutcome> outcome = Combinators.combine(objects(1).map(RawJson::of),
                text().list().ofMaxSize(3), Arbitraries.of(true, false), text().list().ofMaxSize(3), extras())
                .as(DecisionOutcome::new);
        return Combinators.combine(text(), text(), optionalInstants(), bodies(), outcome.injectNull(0.3), tags(),
                Arbitraries.of(true, false), optionalInstants()).as((id, agent, ts, body, o, tags, active, rev) ->
                        new Decision(id, agent, ts, body, o, tags, active, rev, RawJson.emptyObject()))
                .flatMap(d -> extras().map(x -> new Decision(d.id(), d.agent(), d.timestamp(), d.decision(),
                        d.outcome(), d.tags(), d.active(), d.reviewedAt(), x)));
    }

    static Arbitrary<MemoryItem> items() {
        return Arbitraries.oneOf(patterns(), solutions(), decisions());
    }
}
