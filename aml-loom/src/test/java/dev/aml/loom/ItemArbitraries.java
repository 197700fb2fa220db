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
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * jqwik generators of Loom-shaped items with arbitrary unknown fields, shared by the store's tests;
 * public for the codec's internal tests. The {@code plain…} variants keep to what the byte scanners
 * of {@code dev.aml.loom.internal} read themselves: printable ASCII text without quotes or
 * backslashes, numbers of at most 18 digits, no unknown fields.
 */
public final class ItemArbitraries {

    private ItemArbitraries() {
    }

    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMaxLength(12),
                Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(20),
                Arbitraries.of("", "é ü 中文", "quote \" and \\ backslash", "line\nbreak\ttab", "emoji 😀"));
    }

    /** Printable ASCII without the characters JSON escapes. */
    static StringArbitrary plainText() {
        return Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\').ofMaxLength(20);
    }

    /** Free JSON values of plain text and numbers, nested {@code depth} deep. */
    static Arbitrary<Object> plainJsonValues(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(plainText().map(s -> (Object) s),
                Arbitraries.longs().between(-99_999_999_999_999_999L, 99_999_999_999_999_999L).map(l -> (Object) l),
                Arbitraries.doubles().between(-1e12, 1e12).map(d -> (Object) d),
                Arbitraries.of(-0.0, 1e-7, 1e21, 4.9e-324, 0.1).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        if (depth <= 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(1, plainJsonValues(depth - 1).list().ofMaxSize(3).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(plainText().ofMinLength(1), plainJsonValues(depth - 1))
                        .ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m))));
    }

    static Arbitrary<RawJson> plainBodies() {
        return Arbitraries.maps(plainText().ofMinLength(1), plainJsonValues(2)).ofMaxSize(4)
                .map(m -> RawJson.of(new LinkedHashMap<>(m)));
    }

    /** Solutions the byte scanner reads itself once written. */
    @SuppressWarnings("exports") // tests run on the class path; jqwik is not a module there
    public static Arbitrary<Solution> plainSolutions() {
        Arbitrary<Effectiveness> eff = Combinators.combine(Arbitraries.of(true, false), finite(),
                Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, 1000))
                .as((w, t, p, r) -> new Effectiveness(w, t, p, r, RawJson.emptyObject()));
        return Combinators.combine(plainText(), plainText(), optionalInstants(), plainBodies(), plainBodies(), eff,
                plainText().list().ofMaxSize(4), Arbitraries.of(true, false)).as((id, agent, ts, problem, fix, e, tags,
                        active) -> new Solution(id, agent, ts, problem, fix, e, tags, active, 0, RawJson.emptyObject()))
                .flatMap(s -> Arbitraries.longs().between(0, 1_000_000).map(n -> new Solution(s.id(), s.agent(),
                        s.timestamp(), s.problem(), s.solution(), s.effectiveness(), s.tags(), s.active(), n,
                        RawJson.emptyObject())));
    }

    /** Decisions the byte scanner reads itself once written. */
    @SuppressWarnings("exports") // tests run on the class path; jqwik is not a module there
    public static Arbitrary<Decision> plainDecisions() {
        Arbitrary<DecisionOutcome> outcome = Combinators.combine(plainBodies(), plainText().list().ofMaxSize(3),
                Arbitraries.of(true, false), plainText().list().ofMaxSize(3))
                .as((m, lessons, repeat, better) -> new DecisionOutcome(m, lessons, repeat, better,
                        RawJson.emptyObject()));
        return Combinators.combine(plainText(), plainText(), optionalInstants(), plainBodies(), outcome.injectNull(0.3),
                plainText().list().ofMaxSize(4), Arbitraries.of(true, false), optionalInstants())
                .as((id, agent, ts, body, o, tags, active, rev) ->
                        new Decision(id, agent, ts, body, o, tags, active, rev, RawJson.emptyObject()));
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
