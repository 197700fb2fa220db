package dev.aml.loom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.CorruptDataException;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.loom.ItemArbitraries;
import dev.aml.loom.TimestampStyle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The file reader's fast paths (the byte scanners of every kind, a pattern decoded straight from the
 * parser, free-form values copied as text) must give exactly what the reference tree reader gives
 * ({@link ItemCodec#readArrayAsTrees}): equal items for every input, and for every damaged input the
 * same {@link CorruptDataException} (message, file, position and position kind). Inputs are generated
 * Loom-shaped pattern, solution and decision files in both field styles and the 2.0.0 pattern shape,
 * every timestamp style (and broken ones), numbers as ints, floats, integral floats, huge and
 * non-finite values and wrong types, nulls everywhere, unknown fields at every level, duplicate keys,
 * then truncated or with a byte changed.
 */
class StreamingDecodeEquivalenceTest {

    private static final Path FILE = Path.of("coder", "patterns.json");

    @Property(tries = 3000)
    void generatedFilesDecodeExactlyLikeTheTreePath(@ForAll long seed, @ForAll("codecs") ItemCodec codec,
            @ForAll ItemKind kind) {
        byte[] file = new Gen(new Random(seed)).file(kind);

        assertAllReadersAgree(codec, file, kind);
    }

    @Property(tries = 3000)
    void damagedFilesFailExactlyLikeTheTreePath(@ForAll long seed, @ForAll("codecs") ItemCodec codec,
            @ForAll ItemKind kind) {
        Random random = new Random(seed);
        byte[] file = damage(new Gen(random).file(kind), random);

        assertAllReadersAgree(codec, file, kind);
    }

    /** Journal replay and backups read single items: the same equality for {@code readItem}, also when damaged. */
    @Property(tries = 3000)
    void singleItemsDecodeExactlyLikeTheTreePath(@ForAll long seed, @ForAll("codecs") ItemCodec codec,
            @ForAll ItemKind kind) {
        Random random = new Random(seed);
        byte[] item = new Gen(random, random.nextBoolean()).element(kind);
        if (random.nextInt(4) == 0) {
            item = damage(item, random);
        }
        byte[] json = item;

        Object tree = outcome(() -> List.of(codec.readItemAsTree(json, kind, "journal entry")));
        Object fast = outcome(() -> List.of(codec.readItem(json, kind, "journal entry")));

        assertThat(fast).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(tree);
        MemoryItem scanned = codec.scanner(json, kind, 8).readOne();
        if (scanned != null) {
            assertThat(List.of(scanned)).as("scanner on %s", new String(json, StandardCharsets.UTF_8))
                    .isEqualTo(tree);
            count(SCANNED_ONE, kind);
        }
    }

    /** Files of the plain shape, the byte scanners' subset, intact or damaged (their grammar must be strict). */
    @Property(tries = 3000)
    void plainFilesIntactOrDamagedDecodeExactlyLikeTheTreePath(@ForAll long seed,
            @ForAll("codecs") ItemCodec codec, @ForAll ItemKind kind) {
        Random random = new Random(seed);
        byte[] file = new Gen(random, true).file(kind);
        if (random.nextBoolean()) {
            file = damage(file, random);
        }

        assertAllReadersAgree(codec, file, kind);
    }

    @Property(tries = 200)
    void gzipFilesDecodeLikeTheirPlainBytes(@ForAll long seed) throws IOException {
        ItemCodec codec = new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC"));
        byte[] plain = new Gen(new Random(seed)).file(ItemKind.PATTERN);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }

        Object tree = outcome(() -> codec.readArrayAsTrees(plain, ItemKind.PATTERN, FILE, FILE.toString()));
        Object fast = outcome(() -> codec.readArray(gz.toByteArray(), ItemKind.PATTERN, FILE, FILE.toString()));

        assertThat(fast).isEqualTo(tree);
    }

    @Example
    void theCommonShapeIsDecodedAndSharesRepeatedText() {
        ItemCodec codec = new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC"));
        String element = "{\"id\": \"%s\", \"agent\": \"coder\", \"timestamp\": \"2026-01-02T03:04:05.678Z\","
                + " \"pattern\": {\"a\": [1, \"x\"]}, \"metrics\": {\"successRate\": 0.25, \"executionCount\": 3,"
                + " \"avgTimeSavedMs\": 120, \"errorPreventionCount\": 0}, \"evolution\": {\"created\":"
                + " \"2026-01-02T03:04:05.678Z\", \"lastUsed\": \"2026-01-02T03:04:05.678Z\", \"refinements\": 2,"
                + " \"confidenceScore\": 0.9}, \"tags\": [\"http\", \"retry\"], \"active\": true}";
        byte[] file = ("[" + element.formatted("p1") + ", " + element.formatted("p2") + "]")
                .getBytes(StandardCharsets.UTF_8);

        List<MemoryItem> items = codec.readArray(file, ItemKind.PATTERN, FILE, FILE.toString());

        assertThat(items).isEqualTo(codec.readArrayAsTrees(file, ItemKind.PATTERN, FILE, FILE.toString()));
        Pattern first = (Pattern) items.get(0);
        Pattern second = (Pattern) items.get(1);
        assertThat(second.agent()).isSameAs(first.agent());
        assertThat(second.tags().get(1)).isSameAs(first.tags().get(1));
        assertThat(first.evolution().lastUsed()).isEqualTo(first.timestamp());
        assertThat(first.metrics().successRate()).isEqualTo(0.25);
        assertThat(first.pattern().json()).isEqualTo("{\"a\":[1,\"x\"]}");
    }

    /** Elements the pattern reader declines or must treat with care; each file is compared whole. */
    @Example
    void unusualElementsDecodeExactlyLikeTheTreePath() {
        ItemCodec codec = new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneId.of("Europe/Paris"));
        List<String> elements = List.of(
                "{\"id\": \"dup-in-body\", \"pattern\": {\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}}",
                "{\"id\": \"dup-top\", \"x\": {\"k\": 1}, \"x\": [2]}",
                "{\"id\": \"dup-known\", \"tags\": [\"a\"], \"tags\": [\"b\"]}",
                "{\"id\": \"dup-in-metrics-extra\", \"metrics\": {\"n\": {\"m\": 1, \"m\": 2}}}",
                "{\"id\": \"dup-metrics-extra\", \"metrics\": {\"n\": 1, \"n\": 2}}",
                "{\"id\": \"both-spellings\", \"metrics\": {\"success_rate\": 0.1, \"successRate\": 0.2}}",
                "{\"id\": \"both-shapes\", \"performance\": {\"success_rate\": 0.1}, \"metrics\": {}}",
                "{\"id\": \"null-metrics\", \"metrics\": null, \"performance\": {\"success_rate\": 0.3}}",
                "{\"id\": \"both-lifecycles\", \"lifecycle\": {\"created_at\": \"2026-01-01T00:00:00\"},"
                        + " \"evolution\": {\"refinements\": 2}}",
                "{\"id\": \"bad-stamp\", \"timestamp\": \"yesterday\", \"z\": 1,"
                        + " \"evolution\": {\"created\": 5, \"lastUsed\": \"2026-13-01T00:00:00Z\"}}",
                "{\"id\": \"naive-dst-gap\", \"timestamp\": \"2026-03-29T02:30:00\"}",
                "{\"id\": \"string-body\", \"pattern\": \"retry\"}",
                "{\"id\": \"active-as-number\", \"active\": 0}", "{\"id\": \"active-null\", \"active\": null}",
                "{\"id\": \"active-word\", \"active\": \"yes\"}", "{\"id\": \"active-junk\", \"active\": [1]}",
                "{\"id\": \"null-body\", \"pattern\": null, \"active\": null, \"tags\": null, \"agent\": null}",
                "{\"id\": \"numbers-in-body\", \"pattern\": {\"a\": -0, \"b\": 1.50, \"c\": 1e2, \"d\": -0.0,"
                        + " \"e\": 123456789012345678901234567890, \"f\": true, \"g\": [false, null]}}",
                "{\"id\": \"escapes-in-body\", \"pattern\": {\"k\\\"q\": \"a\\/b \\u00e9 é 😀\\n\", \"s\": \"a/b\"}}",
                "{\"id\": \"integral-floats\", \"metrics\": {\"executionCount\": 3.0, \"errorPreventionCount\": 1e2}}",
                "{\"id\": \"huge-count\", \"metrics\": {\"executionCount\": 9223372036854775808}}",
                "{\"id\": \"unknown-everywhere\", \"version\": \"2.0.0\", \"outcome\": {\"a\": 1.0},"
                        + " \"ctx\": {\"b\": 2.0}, \"performance\": {\"success_rate\": 1, \"p\": [1.0]},"
                        + " \"lifecycle\": {\"confidence\": 0.5, \"q\": null}, \"tags\": []}");
        assertEachAgreesAloneAndWithAPlainElement(codec, ItemKind.PATTERN, elements,
                "{\"id\": \"plain\", \"pattern\": {\"a\": [1]}}");
    }

    /**
     * Each element alone, then followed by a plain one, compared whole; counts how many files the
     * scanner accepted.
     */
    private static int assertEachAgreesAloneAndWithAPlainElement(ItemCodec codec, ItemKind kind,
            List<String> elements, String plain) {
        int accepted = 0;
        for (String element : elements) {
            for (String other : List.of("", ", " + plain)) {
                byte[] file = ("[\n  " + element + other + "\n]").getBytes(StandardCharsets.UTF_8);

                if (assertAllReadersAgree(codec, file, kind)) {
                    accepted++;
                }
            }
        }
        return accepted;
    }

    /**
     * What the codec writes of solutions and decisions in plain text (printable ASCII, no unknown
     * fields) the scanner reads back itself, file and single item, as exactly the items written.
     */
    @Property(tries = 300)
    void writtenPlainSolutionsAndDecisionsAreScannedBackExactly(@ForAll("plainLists") List<MemoryItem> items,
            @ForAll boolean naive) {
        ItemCodec codec = naive ? new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneOffset.ofHoursMinutes(5, 30))
                : new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC"));
        ItemKind kind = items.isEmpty() ? ItemKind.DECISION : items.get(0).kind();
        byte[] file = codec.writeArray(items);

        List<MemoryItem> scanned = codec.scanner(file, kind, 512).read();

        assertThat(scanned).as(new String(file, StandardCharsets.UTF_8)).isNotNull().isEqualTo(items)
                .isEqualTo(codec.readArrayAsTrees(file, kind, FILE, FILE.toString()));
        for (MemoryItem item : items) {
            byte[] one = codec.writeItem(item);
            assertThat(codec.scanner(one, kind, 8).readOne()).as(new String(one, StandardCharsets.UTF_8))
                    .isEqualTo(item);
        }
    }

    @Provide
    Arbitrary<List<MemoryItem>> plainLists() {
        return Arbitraries.oneOf(
                ItemArbitraries.plainSolutions().list().ofMaxSize(5).map(l -> List.<MemoryItem>copyOf(l)),
                ItemArbitraries.plainDecisions().list().ofMaxSize(5).map(l -> List.<MemoryItem>copyOf(l)));
    }

    /** The shapes LoomTreeGenerator writes (and Loom's TypeScript runtime): the scanner reads them itself. */
    @Example
    void theCommonSolutionAndDecisionShapesAreScanned() {
        ItemCodec codec = new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC"));
        String solution = """
                  {
                    "id": "%s",
                    "agent": "agent00",
                    "timestamp": "2026-01-05T21:14:23.728Z",
                    "problem": {
                      "errorType": "ECONNRESET",
                      "errorMessage": "stream replica stream stream breaker retry 0",
                      "stackTraceHash": "e658af8a571648fbafa35a3fbd63d6c6",
                      "context": {
                        "language": "go"
                      }
                    },
                    "solution": {
                      "rootCause": "rollback cache refresh shard",
                      "fixApproach": "cache lock migration flush index",
                      "codeFix": "transient token",
                      "prevention": "plan worker worker"
                    },
                    "effectiveness": {
                      "worked": false,
                      "timeToFixMinutes": 142,
                      "preventedRecurrence": 2,
                      "relatedErrorsFixed": 0
                    },
                    "tags": [
                      "bugfix"
                    ],
                    "active": true,
                    "verifiedCount": 2
                  }""";
        String decision = """
                  {
                    "id": "%s",
                    "agent": "agent00",
                    "timestamp": "2026-07-27T19:16:10.399Z",
                    "decision": {
                      "type": "architecture",
                      "question": "batch request stream worker 0?",
                      "context": {
                        "language": "python"
                      },
                      "chosenOption": "stale token shard",
                      "alternativesConsidered": [
                        "query token fault"
                      ],
                      "decisionFactors": {
                        "primary": [
                          "plan flush"
                        ],
                        "secondary": []
                      },
                      "rationale": "fault read stale"
                    },
                    "outcome": {
                      "successMetrics": {
                        "maintainability": 0.9191316660989604
                      },
                      "lessonsLearned": [
                        "plan query"
                      ],
                      "wouldRepeat": true
                    },
                    "tags": [
                      "design"
                    ],
                    "active": true
                  }""";
        byte[] solutions = ("[\n" + solution.formatted("s1") + ",\n" + solution.formatted("s2") + "\n]")
                .getBytes(StandardCharsets.UTF_8);
        byte[] decisions = ("[\n" + decision.formatted("d1") + ",\n" + decision.formatted("d2") + "\n]")
                .getBytes(StandardCharsets.UTF_8);

        List<MemoryItem> scannedSolutions = codec.scanner(solutions, ItemKind.SOLUTION, 512).read();
        List<MemoryItem> scannedDecisions = codec.scanner(decisions, ItemKind.DECISION, 512).read();

        assertThat(scannedSolutions).isNotNull()
                .isEqualTo(codec.readArrayAsTrees(solutions, ItemKind.SOLUTION, FILE, FILE.toString()));
        assertThat(scannedDecisions).isNotNull()
                .isEqualTo(codec.readArrayAsTrees(decisions, ItemKind.DECISION, FILE, FILE.toString()));
        Solution s = (Solution) scannedSolutions.get(1);
        assertThat(s.id()).isEqualTo("s2");
        assertThat(s.problem().json()).isEqualTo("{\"errorType\":\"ECONNRESET\",\"errorMessage\":"
                + "\"stream replica stream stream breaker retry 0\",\"stackTraceHash\":"
                + "\"e658af8a571648fbafa35a3fbd63d6c6\",\"context\":{\"language\":\"go\"}}");
        assertThat(s.effectiveness()).isEqualTo(new Effectiveness(false, 142, 2, 0, RawJson.emptyObject()));
        assertThat(s.verifiedCount()).isEqualTo(2);
        assertThat(s.agent()).isSameAs(((Solution) scannedSolutions.get(0)).agent());
        Decision d = (Decision) scannedDecisions.get(0);
        assertThat(d.outcome()).isEqualTo(new DecisionOutcome(RawJson.parse("{\"maintainability\": 0.9191316660989604}"),
                List.of("plan query"), true, List.of(), RawJson.emptyObject()));
        assertThat(d.decision().json()).contains("\"decisionFactors\":{\"primary\":[\"plan flush\"],\"secondary\":[]}");
        assertThat(d.reviewedAt()).isNull();
        assertThat(codec.scanner(decision.formatted("d3").getBytes(StandardCharsets.UTF_8), ItemKind.DECISION, 8)
                .readOne()).isNotNull();
        // readArray takes the scanner's items: only the scanner shares repeated text between elements
        List<MemoryItem> read = codec.readArray(decisions, ItemKind.DECISION, FILE, FILE.toString());
        assertThat(read).isEqualTo(scannedDecisions);
        assertThat(read.get(1).agent()).isSameAs(read.get(0).agent());
        assertThat(((Decision) read.get(1)).tags().get(0)).isSameAs(((Decision) read.get(0)).tags().get(0));
        List<MemoryItem> trees = codec.readArrayAsTrees(decisions, ItemKind.DECISION, FILE, FILE.toString());
        assertThat(trees.get(1).agent()).as("the tree reader does not share").isNotSameAs(trees.get(0).agent());
    }

    /** Solutions the scanner declines or must treat with care; each file is compared whole. */
    @Example
    void unusualSolutionsDecodeExactlyLikeTheTreePath() {
        ItemCodec codec = new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneId.of("Europe/Paris"));
        List<String> accepted = List.of(
                "{\"id\": \"snake\", \"verified_count\": 3, \"effectiveness\": {\"time_to_fix_minutes\": 1.5,"
                        + " \"prevented_recurrence\": 2, \"related_errors_fixed\": 1, \"worked\": false}}",
                "{\"id\": \"nulls\", \"agent\": null, \"timestamp\": null, \"tags\": null, \"verifiedCount\": null,"
                        + " \"effectiveness\": {\"timeToFixMinutes\": null, \"preventedRecurrence\": null}}",
                "{\"id\": \"null-effectiveness\", \"effectiveness\": null}",
                "{\"id\": \"empty\", \"problem\": {}, \"solution\": {}, \"effectiveness\": {}, \"tags\": []}",
                "{}",
                "{\"id\": \"integral-floats\", \"verifiedCount\": 3.0, \"effectiveness\": {\"preventedRecurrence\": 1e2,"
                        + " \"relatedErrorsFixed\": -0.0, \"timeToFixMinutes\": 7}}",
                "{\"id\": \"numbers-in-body\", \"problem\": {\"a\": -0, \"b\": 1.50, \"c\": 1e2, \"d\": -0.0,"
                        + " \"e\": 0.30000000000000004, \"f\": [4.9e-324, 1.7976931348623157E308, 123456789012345678]}}",
                "{\"id\": \"nested\", \"solution\": {\"a\": {\"b\": {\"c\": [[], [{}], {\"d\": [null, true]}]}}}}",
                "{\"id\": \"naive-stamp\", \"timestamp\": \"2026-01-02T03:04:05.123456\"}",
                "{\"id\": \"unicode-id-é\", \"agent\": \"中文\"}",
                "{\"id\": \"esc \\\" \\\\ \\n\", \"problem\": {\"k\\\"q\": \"tab\\t nl\\n \\b \\f \\r é 中文 😀 del \u007f\","
                        + " \"é\": [\"\\\\\"]}, \"tags\": [\"é\", \"a\\\"b\", \"😀\"]}");
        List<String> declined = List.of(
                "{\"id\": \"both-spellings\", \"verifiedCount\": 1, \"verified_count\": 2}",
                "{\"id\": \"both-spellings-nested\", \"effectiveness\": {\"timeToFixMinutes\": 1, \"time_to_fix_minutes\": 2}}",
                "{\"id\": \"dup-top\", \"problem\": {\"a\": 1}, \"problem\": {\"b\": 2}}",
                "{\"id\": \"dup-in-body\", \"problem\": {\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}}",
                "{\"id\": \"dup-in-effectiveness\", \"effectiveness\": {\"worked\": true, \"worked\": false}}",
                "{\"id\": \"extra-top\", \"version\": \"2.0.0\", \"metadata\": {\"a\": 1}}",
                "{\"id\": \"extra-nested\", \"effectiveness\": {\"worked\": true, \"note\": \"x\"}}",
                "{\"id\": \"fractional-count\", \"verifiedCount\": 2.5}",
                "{\"id\": \"huge-count\", \"verifiedCount\": 9007199254740993.0}",
                "{\"id\": \"long-count\", \"verifiedCount\": 9223372036854775807}",
                "{\"id\": \"big-in-body\", \"problem\": {\"n\": 123456789012345678901234567890}}",
                "{\"id\": \"infinite\", \"effectiveness\": {\"timeToFixMinutes\": 1e400}}",
                "{\"id\": \"infinite-in-body\", \"solution\": {\"x\": -1e999}}",
                "{\"id\": \"worked-null\", \"effectiveness\": {\"worked\": null}}",
                "{\"id\": \"worked-word\", \"effectiveness\": {\"worked\": \"yes\"}}",
                "{\"id\": \"wrong-types\", \"effectiveness\": [1], \"tags\": \"x\", \"verifiedCount\": \"3\"}",
                "{\"id\": \"tag-types\", \"tags\": [\"a\", 1, null]}",
                "{\"id\": \"string-body\", \"problem\": \"disk full\", \"solution\": null}",
                "{\"id\": \"escapes\", \"problem\": {\"k\\\"q\": \"a\\/b \\u00e9 é 😀\\n\"}}",
                "{\"id\": \"python-stamp\", \"timestamp\": \"2026-01-02 03:04:05\"}",
                "{\"id\": \"bad-stamp\", \"timestamp\": \"yesterday\"}",
                "{\"id\": \"leading-zero\", \"verifiedCount\": 01}",
                "{\"id\": \"active-null\", \"active\": null}");
        String plain = "{\"id\": \"plain\", \"problem\": {\"a\": [1]}, \"effectiveness\": {\"worked\": true}}";

        assertThat(assertEachAgreesAloneAndWithAPlainElement(codec, ItemKind.SOLUTION, accepted, plain))
                .isEqualTo(2 * accepted.size());
        assertThat(assertEachAgreesAloneAndWithAPlainElement(codec, ItemKind.SOLUTION, declined, plain)).isZero();
    }

    /** Decisions the scanner declines or must treat with care; each file is compared whole. */
    @Example
    void unusualDecisionsDecodeExactlyLikeTheTreePath() {
        ItemCodec codec = new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneId.of("America/New_York"));
        List<String> accepted = List.of(
                "{\"id\": \"snake\", \"reviewed_at\": \"2026-03-08T02:30:00\", \"outcome\": {\"success_metrics\":"
                        + " {\"apiPerformance\": 0.50, \"developmentSpeed\": 1e0}, \"lessons_learned\": [\"a\", \"b\"],"
                        + " \"would_repeat\": false}}",
                "{\"id\": \"camel\", \"reviewedAt\": \"2026-01-02T03:04:05+05:30\", \"outcome\": {\"successMetrics\":"
                        + " {\"customMetrics\": {\"x\": 1, \"y\": [0.1, 2]}}, \"improvements\": [\"c\"],"
                        + " \"lessonsLearned\": []}}",
                "{\"id\": \"nulls\", \"outcome\": {\"successMetrics\": null, \"lessonsLearned\": null,"
                        + " \"improvements\": null}, \"reviewedAt\": null, \"decision\": {\"a\": null}}",
                "{\"id\": \"null-outcome\", \"outcome\": null}",
                "{\"id\": \"empty-outcome\", \"outcome\": {}, \"decision\": {}}",
                "{\"id\": \"empty-metrics\", \"outcome\": {\"successMetrics\": {}, \"wouldRepeat\": true}}",
                "{\"id\": \"metric-forms\", \"outcome\": {\"successMetrics\": {\"a\": -0, \"b\": 1E-7, \"c\": 100.000,"
                        + " \"d\": 12345678901234567e-5, \"e\": -2.5e+3}}}",
                "{\"id\": \"escaped-lesson\", \"outcome\": {\"lessonsLearned\": [\"tab\\there\"],"
                        + " \"improvements\": [\"中文 \\\"quoted\\\"\"]}}",
                "{\"id\": \"unicode-lesson\", \"outcome\": {\"lessonsLearned\": [\"é\"], \"successMetrics\":"
                        + " {\"é\": 0.5, \"e\": 0.25}}, \"decision\": {\"q\": \"why?\\n😀\"}}");
        List<String> declined = List.of(
                "{\"id\": \"both-spellings\", \"reviewedAt\": null, \"reviewed_at\": null}",
                "{\"id\": \"both-spellings-nested\", \"outcome\": {\"wouldRepeat\": true, \"would_repeat\": false}}",
                "{\"id\": \"dup-in-metrics\", \"outcome\": {\"successMetrics\": {\"a\": 0.5, \"a\": 0.1}}}",
                "{\"id\": \"dup-in-custom\", \"outcome\": {\"successMetrics\": {\"c\": {\"x\": 1, \"x\": 2}}}}",
                "{\"id\": \"dup-in-body\", \"decision\": {\"a\": [{\"k\": 1, \"k\": 1}]}}",
                "{\"id\": \"dup-outcome\", \"outcome\": null, \"outcome\": {}}",
                "{\"id\": \"extra-outcome\", \"outcome\": {\"confidence\": 0.9}}",
                "{\"id\": \"extra-top\", \"evolution\": {\"lastUsed\": \"2026-01-02T03:04:05Z\"}}",
                "{\"id\": \"metrics-wrong-type\", \"outcome\": {\"successMetrics\": [0.5]}}",
                "{\"id\": \"metrics-number\", \"outcome\": {\"successMetrics\": 5}}",
                "{\"id\": \"lessons-string\", \"outcome\": {\"lessonsLearned\": \"x\"}}",
                "{\"id\": \"lessons-number\", \"outcome\": {\"lessonsLearned\": [1]}}",
                "{\"id\": \"repeat-null\", \"outcome\": {\"wouldRepeat\": null}}",
                "{\"id\": \"repeat-number\", \"outcome\": {\"would_repeat\": 0}}",
                "{\"id\": \"outcome-array\", \"outcome\": []}",
                "{\"id\": \"infinite-metric\", \"outcome\": {\"successMetrics\": {\"a\": 1e400}}}",
                "{\"id\": \"big-metric\", \"outcome\": {\"successMetrics\": {\"a\": 12345678901234567890}}}",
                "{\"id\": \"u-escaped-lesson\", \"outcome\": {\"lessonsLearned\": [\"\\u00e9\"]}}",
                "{\"id\": \"slash-escaped-metric\", \"outcome\": {\"successMetrics\": {\"a\\/b\": 1}}}",
                "{\"id\": \"python-review\", \"reviewedAt\": \"2026-01-02\"}",
                "{\"id\": \"number-review\", \"reviewedAt\": 5}",
                "{\"id\": \"array-body\", \"decision\": [1]}",
                "{\"id\": \"deep\", \"decision\": " + "[".repeat(70) + "]".repeat(70) + "}");
        String plain = "{\"id\": \"plain\", \"decision\": {\"a\": [1]}, \"outcome\": {\"wouldRepeat\": false}}";

        assertThat(assertEachAgreesAloneAndWithAPlainElement(codec, ItemKind.DECISION, accepted, plain))
                .isEqualTo(2 * accepted.size());
        assertThat(assertEachAgreesAloneAndWithAPlainElement(codec, ItemKind.DECISION, declined, plain)).isZero();
    }

    /**
     * Text the scanners read themselves (well-formed UTF-8, short escapes) next to what they must
     * decline (malformed UTF-8 the tree reader refuses or decodes its own way, the escapes Jackson
     * writes back differently, raw control characters), in a body, an id, a tag and a body key.
     */
    @Example
    void utf8AndEscapesDecodeExactlyLikeTheTreePath() {
        ItemCodec codec = new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC"));
        List<byte[]> valid = List.of(bytes(0xC2, 0xA0), bytes(0xDF, 0xBF), bytes(0xE0, 0xA0, 0x80),
                bytes(0xED, 0x9F, 0xBF), bytes(0xEE, 0x80, 0x80), bytes(0xEF, 0xBF, 0xBF), bytes(0xE2, 0x80, 0xA8),
                bytes(0xF0, 0x90, 0x80, 0x80), bytes(0xF0, 0x9F, 0x98, 0x80), bytes(0xF4, 0x8F, 0xBF, 0xBF),
                ascii("\\\""), ascii("\\\\"), ascii("\\n"), ascii("\\r"), ascii("\\t"), ascii("\\b"),
                ascii("\\f"), bytes(0x7F));
        List<byte[]> declined = List.of(bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0x80),
                bytes(0xE0, 0x9F, 0xBF), bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x80, 0x80, 0x80),
                bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF5, 0x80, 0x80, 0x80), bytes(0xFF), bytes(0x80),
                bytes(0xBF), bytes(0xE2, 0x82), bytes(0xF0, 0x9F, 0x98), bytes(0xC3, 0x41), bytes(0xE2, 0x28, 0xA1),
                ascii("\\/"), ascii("\\u0041"), ascii("\\u00e9"), ascii("\\ud83d\\ude00"), ascii("\\x"),
                ascii("\\ "), bytes(0x09), bytes(0x0A), bytes(0x00), bytes(0x1F));
        for (ItemKind kind : ItemKind.values()) {
            String body = switch (kind) {
                case PATTERN -> "pattern";
                case SOLUTION -> "problem";
                case DECISION -> "decision";
            };
            List<String> places = List.of("{\"id\": \"a@b\", \"%s\": {\"k\": \"x\"}}",
                    "{\"id\": \"x\", \"%s\": {\"k\": [\"a@b\"]}}", "{\"id\": \"x\", \"%s\": {\"k@\": 1}}",
                    "{\"id\": \"x\", \"tags\": [\"t\", \"@\"], \"%s\": {}}");
            for (String place : places) {
                String[] parts = ("[\n  " + place.formatted(body) + "\n]").split("@");
                for (byte[] text : valid) {
                    assertThat(assertAllReadersAgree(codec, join(parts[0], text, parts[1]), kind))
                            .as("%s scanned with %s", place, Arrays.toString(text)).isTrue();
                }
                for (byte[] text : declined) {
                    assertThat(assertAllReadersAgree(codec, join(parts[0], text, parts[1]), kind))
                            .as("%s declined with %s", place, Arrays.toString(text)).isFalse();
                }
            }
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int k = 0; k < values.length; k++) {
            b[k] = (byte) values[k];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] join(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Provide
    Arbitrary<ItemCodec> codecs() {
        return Arbitraries.of(
                new ItemCodec(TimestampStyle.UTC_Z, ZoneId.of("UTC")),
                new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneId.of("Asia/Kolkata")),
                new ItemCodec(TimestampStyle.NAIVE_LOCAL, ZoneId.of("America/New_York")));
    }

    /**
     * Each of the three readers agrees with the tree reader: the whole chain ({@code readArray}),
     * the byte scanner and the Jackson streaming reader on their own, where they accept the input.
     *
     * @return whether the byte scanner accepted the file
     */
    private static boolean assertAllReadersAgree(ItemCodec codec, byte[] file, ItemKind kind) {
        Object tree = outcome(() -> codec.readArrayAsTrees(file, kind, FILE, FILE.toString()));
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(outcome(() -> codec.readArray(file, kind, FILE, FILE.toString())))
                .as("readArray of %s", text).isEqualTo(tree);
        List<MemoryItem> scanned = codec.scanner(file, kind, 512).read();
        if (scanned != null) {
            assertThat(scanned).as("scanner on %s", text).isEqualTo(tree);
            count(SCANNED, kind);
        }
        List<MemoryItem> streamed = codec.readArrayFast(file, kind);
        if (streamed != null) {
            assertThat(streamed).as("streaming reader on %s", text).isEqualTo(tree);
            count(STREAMED, kind);
        }
        return scanned != null;
    }

    private static final Map<ItemKind, AtomicInteger> SCANNED = new ConcurrentHashMap<>();
    private static final Map<ItemKind, AtomicInteger> SCANNED_ONE = new ConcurrentHashMap<>();
    private static final Map<ItemKind, AtomicInteger> STREAMED = new ConcurrentHashMap<>();

    private static void count(Map<ItemKind, AtomicInteger> counts, ItemKind kind) {
        counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The readers under test really read (rather than all declining to the tree reader), for every kind. */
    @net.jqwik.api.lifecycle.AfterContainer
    static void fastReadersWereExercised() {
        for (ItemKind kind : ItemKind.values()) {
            assertThat(SCANNED.getOrDefault(kind, new AtomicInteger()).get()).as("%s files the scanner read", kind)
                    .isGreaterThan(300);
            assertThat(SCANNED_ONE.getOrDefault(kind, new AtomicInteger()).get())
                    .as("single %s items the scanner read", kind).isGreaterThan(150);
            assertThat(STREAMED.getOrDefault(kind, new AtomicInteger()).get())
                    .as("%s files the streaming reader read", kind).isGreaterThan(300);
        }
    }

    /** What reading produced: the items, or the failure's observable parts. */
    private static Object outcome(Supplier<List<MemoryItem>> read) {
        try {
            return read.get();
        } catch (CorruptDataException e) {
            return new Failure(e.getMessage(), e.file().orElse(null), e.position(), e.positionKind());
        }
    }

    private record Failure(String message, Path file, long position, CorruptDataException.PositionKind kind) {
    }

    private static byte[] damage(byte[] file, Random random) {
        int at = random.nextInt(file.length);
        return switch (random.nextInt(3)) {
            case 0 -> Arrays.copyOf(file, Math.max(1, at)); // truncated (an empty file is refused before either path)
            case 1 -> {
                byte[] changed = file.clone();
                changed[at] = (byte) "{}[]\",:0a- \n\\".charAt(random.nextInt(13));
                yield changed;
            }
            default -> {
                byte[] shorter = new byte[file.length - 1];
                System.arraycopy(file, 0, shorter, 0, at);
                System.arraycopy(file, at + 1, shorter, at, file.length - at - 1);
                yield shorter;
            }
        };
    }

    /** Builds Loom-shaped JSON text with rare oddities; most elements are valid. */
    private static final class Gen {
        private static final String[] STRINGS = {"\"abc\"", "\"\"", "\"é ü 中文\"", "\"quote \\\" and \\\\\"",
            "\"tab\\t nl\\n\"", "\"\\u00e9\\u0001\"", "\"emoji 😀\"", "\"\\ud83d\\ude00\"", "\"slash \\/\"",
            "\"coder\"", "\"http\"", "\"a/b ~ {x}: [y], \"", "\"true\"", "\"1e5\"", "\"-0\"", "\"del \u007f\""};
        private static final String[] NUMBERS = {"0", "1", "-3", "0.5", "1.0", "3.0", "-0", "-0.0", "1e2", "1E-3",
            "2.50", "12345678901234", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "1e400", "0.30000000000000004", "9007199254740993.0",
            "9007199254740992.0", "4.9e-324", "1.7976931348623157E308", "2147483648", "-2147483649"};
        private static final String[] STAMPS = {"\"2026-01-02T03:04:05Z\"", "\"2026-01-02T03:04:05.678Z\"",
            "\"2026-01-02T03:04:05.678901Z\"", "\"2026-01-02T03:04:05.678901234Z\"", "\"2026-01-02T03:04:05\"",
            "\"2026-01-02T03:04:05.123456\"", "\"2026-03-08T02:30:00\"", "\"2026-11-01T01:30:00.5\"",
            "\"2026-01-02T03:04:05+05:30\"", "\"2026-01-02T03:04:05.1-08:00\"", "\"2026-02-30T00:00:00Z\"",
            "\"2026-01-02T03:04Z\"", "\"not a time\"", "\"2026-01-02 03:04:05\"", "\"\"", "\"2026-01-02T24:00:00Z\"",
            "\"2026-01-02T03:04:05.1234567890Z\"", "\"+12026-01-02T03:04:05Z\"", "\"2026-01-02T03:04:05+18:00\"",
            "\"2026-01-02T03:04:05[UTC]\"", "\"2026-01-02T03:04:05Z[Europe/Paris]\"", "\"2026-01-02\"",
            "\"2026-01-02 03:04:05.5+01\"", "\"20260102T0304\"", "\"2026-W01-2 03:04:05,25Z\""};

        private final Random r;
        private final boolean pretty;

        private final boolean plain;

        Gen(Random r) {
            this(r, false);
        }

        /** @param plain only the shape the byte scanner reads: no oddities, no unknown fields */
        Gen(Random r, boolean plain) {
            this.r = r;
            this.pretty = r.nextBoolean();
            this.plain = plain;
        }

        private boolean rare() {
            return !plain && r.nextInt(40) == 0;
        }

        private <T> T pick(T[] values) {
            return values[r.nextInt(values.length)];
        }

        byte[] file(ItemKind kind) {
            int n = r.nextInt(6);
            StringBuilder sb = new StringBuilder(pretty ? "[\n  " : "[");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(pretty ? ",\n  " : ",");
                }
                sb.append(rare() ? anyValue(1) : item(kind));
            }
            sb.append(pretty ? "\n]" : "]");
            if (rare()) {
                sb.append(" ").append(anyValue(0));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        byte[] element(ItemKind kind) {
            return item(kind).getBytes(StandardCharsets.UTF_8);
        }

        private String item(ItemKind kind) {
            return switch (kind) {
                case PATTERN -> pattern();
                case SOLUTION -> solution();
                case DECISION -> decision();
            };
        }

        /** The fields every kind has. */
        private List<String[]> sharedFields() {
            List<String[]> fields = new ArrayList<>();
            field(fields, "id", () -> rare() ? anyValue(0) : "\"" + Long.toHexString(r.nextLong()) + "\"");
            field(fields, "agent", () -> rare() ? anyValue(0) : pick(new String[] {"\"coder\"", "\"tester\""}));
            field(fields, "timestamp", this::stamp);
            field(fields, "tags", this::tags);
            field(fields, "active", this::bool);
            return fields;
        }

        /** Unknown top-level fields, sometimes, and rarely a repeated key; then the element's text. */
        private String withOddities(List<String[]> fields) {
            int unknown = !plain && r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
            for (int i = 0; i < unknown; i++) {
                String key = pick(new String[] {"custom" + i, "version", "effectiveness", "outcome", "context",
                    "metadata", "pattern"});
                fields.add(new String[] {key, key.equals("version") ? "\"2.0.0\"" : anyValue(2)});
            }
            if (rare() && !fields.isEmpty()) {
                String[] dup = fields.get(r.nextInt(fields.size()));
                fields.add(new String[] {dup[0], anyValue(1)});
            }
            return object(fields);
        }

        private String bool() {
            return rare() ? anyValue(0) : r.nextInt(plain ? 16 : 5) == 0 ? "null" : r.nextBoolean() ? "true" : "false";
        }

        private String solution() {
            List<String[]> fields = sharedFields();
            field(fields, "problem", () -> rare() ? anyValue(1) : object(2));
            field(fields, "solution", () -> rare() ? anyValue(1) : object(2));
            field(fields, "effectiveness", this::effectiveness);
            field(fields, name("verifiedCount", "verified_count", r.nextInt(4) == 0), this::count);
            if (rare()) {
                fields.add(new String[] {"verified_count", count()});
            }
            return withOddities(fields);
        }

        private String effectiveness() {
            if (rare()) {
                return anyValue(1);
            }
            boolean snake = r.nextBoolean();
            List<String[]> fields = new ArrayList<>();
            field(fields, "worked", this::bool);
            field(fields, name("timeToFixMinutes", "time_to_fix_minutes", snake), this::count);
            field(fields, name("preventedRecurrence", "prevented_recurrence", snake), this::count);
            field(fields, name("relatedErrorsFixed", "related_errors_fixed", snake), this::count);
            if (rare()) {
                fields.add(new String[] {name("timeToFixMinutes", "time_to_fix_minutes", !snake), fraction()});
            }
            if (!plain && r.nextInt(6) == 0) {
                fields.add(new String[] {"custom", anyValue(2)});
            }
            return object(fields);
        }

        private String decision() {
            List<String[]> fields = sharedFields();
            field(fields, "decision", () -> rare() ? anyValue(1) : object(2));
            field(fields, "outcome", this::outcome);
            field(fields, name("reviewedAt", "reviewed_at", r.nextInt(4) == 0), this::stamp);
            if (rare()) {
                fields.add(new String[] {"reviewed_at", stamp()});
            }
            return withOddities(fields);
        }

        private String outcome() {
            if (rare()) {
                return anyValue(1);
            }
            boolean snake = r.nextBoolean();
            List<String[]> fields = new ArrayList<>();
            field(fields, name("successMetrics", "success_metrics", snake), this::successMetrics);
            field(fields, name("lessonsLearned", "lessons_learned", snake), this::tags);
            field(fields, name("wouldRepeat", "would_repeat", snake), this::bool);
            field(fields, "improvements", this::tags);
            if (rare()) {
                fields.add(new String[] {name("wouldRepeat", "would_repeat", !snake), bool()});
            }
            if (!plain && r.nextInt(6) == 0) {
                fields.add(new String[] {"custom", anyValue(2)});
            }
            return object(fields);
        }

        private String successMetrics() {
            if (rare()) {
                return anyValue(1);
            }
            List<String[]> fields = new ArrayList<>();
            for (String key : new String[] {"developmentSpeed", "apiPerformance", "clientSatisfaction",
                "maintainability"}) {
                if (r.nextInt(3) == 0) {
                    fields.add(new String[] {key, r.nextBoolean() ? fraction() : count()});
                }
            }
            if (r.nextInt(4) == 0) {
                fields.add(new String[] {"customMetrics", object(1)});
            }
            if (rare() && !fields.isEmpty()) {
                fields.add(new String[] {fields.get(0)[0], fraction()}); // a duplicate key
            }
            return object(fields);
        }

        private String pattern() {
            List<String[]> fields = sharedFields();
            field(fields, "pattern", () -> rare() ? anyValue(1) : object(2));
            boolean v2 = r.nextInt(4) == 0;
            if (!v2 || rare()) {
                field(fields, "metrics", () -> metrics(false));
                field(fields, "evolution", () -> evolution(false));
            }
            if (v2 || rare()) {
                field(fields, "performance", () -> metrics(true));
                field(fields, "lifecycle", () -> evolution(true));
            }
            return withOddities(fields);
        }

        private void field(List<String[]> fields, String key, Supplier<String> value) {
            if (r.nextInt(12) != 0) {
                fields.add(new String[] {key, r.nextInt(30) == 0 ? "null" : value.get()});
            }
        }

        private String stamp() {
            return rare() ? anyValue(0) : r.nextInt(plain ? 40 : 8) == 0 ? pick(STAMPS) : pick(Arrays.copyOf(STAMPS, 10));
        }

        private String metrics(boolean snake) {
            if (rare()) {
                return anyValue(1);
            }
            List<String[]> fields = new ArrayList<>();
            field(fields, name("successRate", "success_rate", snake), this::fraction);
            field(fields, name("executionCount", "execution_count", snake), this::count);
            field(fields, name("avgTimeSavedMs", "avg_time_saved_ms", snake), this::count);
            field(fields, name("errorPreventionCount", "error_prevention_count", snake), this::count);
            if (rare()) {
                fields.add(new String[] {name("successRate", "success_rate", !snake), fraction()});
            }
            if (!plain && r.nextInt(6) == 0) {
                fields.add(new String[] {"custom", anyValue(2)});
            }
            return object(fields);
        }

        private String evolution(boolean lifecycle) {
            if (rare()) {
                return anyValue(1);
            }
            boolean snake = r.nextBoolean();
            List<String[]> fields = new ArrayList<>();
            if (lifecycle) {
                field(fields, name("createdAt", "created_at", snake), this::stamp);
                field(fields, name("lastUsedAt", "last_used_at", snake), this::stamp);
                field(fields, name("refinementCount", "refinement_count", snake), this::count);
                field(fields, "confidence", this::fraction);
            } else {
                field(fields, "created", this::stamp);
                field(fields, name("lastUsed", "last_used", snake), this::stamp);
                field(fields, "refinements", this::count);
                field(fields, name("confidenceScore", "confidence_score", snake), this::fraction);
            }
            if (rare()) {
                fields.add(lifecycle ? new String[] {"created_at", stamp()} : new String[] {"lastUsed", stamp()});
            }
            if (!plain && r.nextInt(6) == 0) {
                fields.add(new String[] {"note", anyValue(2)});
            }
            return object(fields);
        }

        private static String name(String camel, String snake, boolean useSnake) {
            return useSnake ? snake : camel;
        }

        private String fraction() {
            return rare() ? anyValue(0) : r.nextInt(plain ? 25 : 5) == 0 ? pick(NUMBERS) : Double.toString(r.nextDouble());
        }

        private String count() {
            return rare() ? anyValue(0) : r.nextInt(plain ? 25 : 5) == 0 ? pick(NUMBERS) : Integer.toString(r.nextInt(1000));
        }

        private String tags() {
            if (rare()) {
                return anyValue(1);
            }
            int n = r.nextInt(5);
            List<String> tags = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tags.add(rare() ? anyValue(0) : r.nextInt(plain ? 12 : 2) == 0 ? pick(STRINGS) : "\"tag" + r.nextInt(5) + "\"");
            }
            return "[" + String.join(pretty ? ", " : ",", tags) + "]";
        }

        private String anyValue(int depth) {
            int choice = r.nextInt(depth > 0 ? 8 : 6);
            return switch (choice) {
                case 0, 1 -> plain && r.nextInt(20) != 0 ? "\"s" + r.nextInt(100) + " x/y\"" : pick(STRINGS);
                case 2, 3 -> plain && r.nextInt(20) != 0
                        ? r.nextBoolean() ? Integer.toString(r.nextInt(2000) - 1000) : Double.toString(r.nextGaussian())
                        : r.nextBoolean() ? pick(NUMBERS) : Double.toString(r.nextGaussian() * 1e3);
                case 4 -> pick(new String[] {"true", "false", "null"});
                case 5 -> pick(STAMPS);
                case 6 -> object(depth - 1);
                default -> {
                    List<String> values = new ArrayList<>();
                    for (int i = r.nextInt(4); i > 0; i--) {
                        values.add(anyValue(depth - 1));
                    }
                    yield "[" + String.join(pretty ? ", " : ",", values) + "]";
                }
            };
        }

        private String object(int depth) {
            List<String> keys = new ArrayList<>(plain ? List.of("type", "context", "a", "b", "when", "why", "n")
                    : List.of("type", "context", "a", "b", "é", "k\\\"q", "n"));
            Collections.shuffle(keys, r);
            List<String[]> fields = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                String key = rare() ? keys.get(1) : keys.get(i); // rarely a duplicate of the key of i == 1
                fields.add(new String[] {key, anyValue(Math.max(0, depth))});
            }
            return object(fields);
        }

        /** An object of these fields in shuffled order; a repeated key stays repeated (a duplicate). */
        private String object(List<String[]> fields) {
            List<String[]> shuffled = new ArrayList<>(fields);
            Collections.shuffle(shuffled, r);
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < shuffled.size(); i++) {
                sb.append(i > 0 ? (pretty ? ", " : ",") : "").append(pretty && r.nextBoolean() ? "\n    " : "")
                        .append('"').append(shuffled.get(i)[0]).append('"').append(pretty ? ": " : ":")
                        .append(shuffled.get(i)[1]);
            }
            return sb.append('}').toString();
        }
    }
}
