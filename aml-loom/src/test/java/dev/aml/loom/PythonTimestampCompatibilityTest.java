package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Evolution;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.loom.internal.LoomTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 17: every timestamp form Python 3.11's {@code fromisoformat} accepts (and so Loom's toolkit) is
 * read as a date, and an unchanged item keeps its text byte for byte.
 */
class PythonTimestampCompatibilityTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LoomJson UTC = LoomJson.of(TimestampStyle.UTC_Z, BERLIN);
    private static final LoomJson NAIVE = LoomJson.of(TimestampStyle.NAIVE_LOCAL, BERLIN);

    @Example
    void theFormsOfTheIssueAreDated() {
        assertThat(UTC.parseTimestamp("2026-01-02 03:04:05")).contains(local("2026-01-02T03:04:05"));
        assertThat(UTC.parseTimestamp("2026-01-02 03:04:05.123456")).contains(local("2026-01-02T03:04:05.123456"));
        assertThat(UTC.parseTimestamp("2026-01-02 03:04:05+00:00")).contains(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(UTC.parseTimestamp("2026-01-02")).contains(local("2026-01-02T00:00:00"));
        assertThat(UTC.parseTimestamp("2026-01-02 ")).isEmpty(); // Python rejects it too
    }

    @Example
    void aFileWithPythonOnlyFormsIsWrittenBackByteForByte() {
        String file = written(sample()).replace("\"2026-01-02T03:04:05.000Z\"", "\"2026-01-02 04:04:05\"")
                .replace("\"2026-01-01T00:00:00.000Z\"", "\"2026-01-01\"");
        assertThat(file).contains("\"2026-01-02 04:04:05\"", "\"created\": \"2026-01-01\"");
        for (LoomJson json : List.of(UTC, NAIVE)) {
            List<MemoryItem> items = json.read(bytes(file), ItemKind.PATTERN, "patterns.json");
            Pattern p = (Pattern) items.get(0);
            assertThat(p.timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
            assertThat(p.evolution().created()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").minusSeconds(3600));
            assertThat(new String(json.write(items), StandardCharsets.UTF_8)).isEqualTo(file);
        }
    }

    @Example
    void aChangedTimestampIsWrittenInTheConfiguredStyle() {
        String file = written(sample()).replace("\"2026-01-02T03:04:05.000Z\"", "\"2026-01-02 04:04:05\"");
        Pattern p = (Pattern) UTC.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(0);
        Evolution e = p.evolution();
        Pattern used = new Pattern(p.id(), p.agent(), p.timestamp(), p.pattern(), p.metrics(),
                new Evolution(e.created(), Instant.parse("2026-02-01T00:00:00Z"), e.refinements(),
                        e.confidenceScore(), e.extra()), p.tags(), p.active(), p.extra());
        String out = written(used);
        assertThat(out).contains("\"timestamp\": \"2026-01-02 04:04:05\"", "\"lastUsed\": \"2026-02-01T00:00:00.000Z\"");
        assertThat(out).doesNotContain("2026-01-02T03:04:05");
    }

    /** A form from the pieces fromisoformat combines, with the instant those pieces mean. */
    record Form(String text, Instant instant) {
    }

    @Provide
    Arbitrary<Form> forms() {
        Arbitrary<LocalDateTime> times = Arbitraries.longs().between(0, 9L * 365 * 86_400 * 1_000_000)
                .map(us -> LocalDateTime.of(2000, 1, 1, 0, 0).plusNanos(us * 1000));
        return Combinators.combine(times, Arbitraries.integers().between(0, 5), Arbitraries.of(" ", "T", "t", "_"),
                Arbitraries.integers().between(0, 6), Arbitraries.of(".", ","), Arbitraries.integers().between(-1, 5),
                Arbitraries.integers().between(-23 * 60 - 59, 23 * 60 + 59))
                .as((t, timeShape, sep, digits, mark, zoneShape, offsetMinutes) -> {
                    boolean basic = timeShape % 2 == 1;
                    String date = String.format(basic ? "%04d%02d%02d" : "%04d-%02d-%02d", t.getYear(),
                            t.getMonthValue(), t.getDayOfMonth());
                    if (timeShape == 0) {
                        return new Form(date, t.toLocalDate().atStartOfDay(BERLIN).toInstant());
                    }
                    LocalDateTime at = t;
                    String time;
                    if (timeShape <= 2) {
                        at = t.withMinute(0).withSecond(0).withNano(0);
                        time = String.format("%02d", t.getHour());
                    } else if (timeShape == 3) {
                        at = t.withSecond(0).withNano(0);
                        time = String.format("%02d%02d", t.getHour(), t.getMinute());
                    } else {
                        String c = timeShape == 4 ? ":" : "";
                        time = String.format("%02d" + c + "%02d" + c + "%02d", t.getHour(), t.getMinute(), t.getSecond());
                        int micros = t.getNano() / 1000;
                        if (digits > 0) {
                            String f = String.format("%06d", micros).substring(0, digits);
                            time += mark + f;
                            at = t.withNano(Integer.parseInt(f) * (int) Math.pow(10, 9 - digits));
                        } else {
                            at = t.withNano(0);
                        }
                    }
                    String text = date + sep + time;
                    if (zoneShape < 0) {
                        return new Form(text, at.atZone(BERLIN).toInstant());
                    }
                    int offset = zoneShape == 0 ? 0 : offsetMinutes;
                    int h = Math.abs(offset) / 60;
                    int m = Math.abs(offset) % 60;
                    String sign = offset < 0 ? "-" : "+";
                    String zone = switch (zoneShape) {
                        case 0 -> "Z";
                        case 1 -> String.format("%s%02d%02d", sign, h, m);
                        case 2 -> String.format("%s%02d:%02d", sign, h, m);
                        case 3 -> String.format("%s%02d:%02d:00", sign, h, m);
                        case 4 -> String.format("%s%02d:%02d:00.000000", sign, h, m);
                        // 3.11 takes a space before the offset, but not after a fraction
                        default -> String.format("%s%s%02d:%02d", text.contains(mark) ? "" : " ", sign, h, m);
                    };
                    return new Form(text + zone, at.toInstant(ZoneOffset.UTC).minusSeconds(offset * 60L)); // Python allows up to ±23:59
                });
    }

    @Property(tries = 300)
    void everyPythonFormIsReadAsItsInstantAndKeptWhenUnchanged(@ForAll("forms") Form form,
            @ForAll("codecs") LoomJson json) {
        assertThat(json.parseTimestamp(form.text())).contains(form.instant());
        String file = new String(json.write(List.of(sample())), StandardCharsets.UTF_8)
                .replace(json.formatTimestamp(Instant.parse("2026-01-02T03:04:05Z")), form.text());
        List<MemoryItem> items = json.read(bytes(file), ItemKind.PATTERN, "patterns.json");
        assertThat(items.get(0).timestamp()).isEqualTo(form.instant());
        String again = new String(json.write(items), StandardCharsets.UTF_8);
        if (LoomTimestamps.parseIsoTimestamp(form.text(), BERLIN) == null) {
            assertThat(again).isEqualTo(file); // a form only Python reads: kept as written
        }
        assertThat(json.read(bytes(again), ItemKind.PATTERN, "patterns.json")).isEqualTo(items);
    }

    @Provide
    Arbitrary<LoomJson> codecs() {
        return Arbitraries.of(UTC, NAIVE);
    }

    private static Pattern sample() {
        return new Pattern("p1", "coder", Instant.parse("2026-01-02T03:04:05Z"), RawJson.parse("{\"type\":\"retry\"}"),
                new PatternMetrics(0.5, 4, 10, 1, RawJson.emptyObject()),
                new Evolution(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T03:04:05Z"), 0, 0.9,
                        RawJson.emptyObject()),
                List.of("http"), true, RawJson.emptyObject());
    }

    private static String written(Pattern p) {
        return new String(UTC.write(List.of(p)), StandardCharsets.UTF_8);
    }

    private static Instant local(String t) {
        return LocalDateTime.parse(t).atZone(BERLIN).toInstant();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
