package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.Decision;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every shape Loom's tools write reads into the same model, and writes back in the runtime's shape. */
class LoomJsonCompatibilityTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LoomJson JSON = LoomJson.of(TimestampStyle.UTC_Z, BERLIN);

    private static final String CAMEL_PATTERN = """
            [{"id": "p1", "agent": "coder", "timestamp": "2026-01-02T03:04:05.123Z",
              "pattern": {"type": "retry", "approach": {"technique": "backoff"}},
              "metrics": {"successRate": 0.75, "executionCount": 4, "avgTimeSavedMs": 120, "errorPreventionCount": 2},
              "evolution": {"created": "2026-01-02T03:04:05.123Z", "lastUsed": "2026-01-03T00:00:00.000Z",
                            "refinements": 3, "confidenceScore": 0.4},
              "tags": ["http", "retry"], "active": true}]""";

    private static final String SNAKE_PATTERN = """
            [{"id": "p1", "agent": "coder", "timestamp": "2026-01-02T04:04:05.123+01:00",
              "pattern": {"type": "retry", "approach": {"technique": "backoff"}},
              "metrics": {"success_rate": 0.75, "execution_count": 4, "avg_time_saved_ms": 120,
                          "error_prevention_count": 2},
              "evolution": {"created": "2026-01-02T04:04:05.123", "last_used": "2026-01-03T01:00:00",
                            "refinements": 3, "confidence_score": 0.4},
              "tags": ["http", "retry"], "active": true}]""";

    @Test
    void camelCaseAndSnakeCaseAndEveryTimestampStyleReadTheSame() {
        List<MemoryItem> camel = JSON.read(bytes(CAMEL_PATTERN), ItemKind.PATTERN, "camel/patterns.json");
        List<MemoryItem> snake = JSON.read(bytes(SNAKE_PATTERN), ItemKind.PATTERN, "snake/patterns.json");

        assertThat(snake).isEqualTo(camel);
        Pattern p = (Pattern) camel.get(0);
        assertThat(p.metrics().successRate()).isEqualTo(0.75);
        assertThat(p.metrics().executionCount()).isEqualTo(4);
        assertThat(p.evolution().confidenceScore()).isEqualTo(0.4);
        assertThat(p.timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
        assertThat(p.evolution().lastUsed()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(p.tags()).containsExactly("http", "retry");
        assertThat(p.extra().isEmptyObject()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "2026-07-02T03:04:05,         2026-07-02T01:04:05Z",
        "2026-07-02T03:04:05.123,     2026-07-02T01:04:05.123Z",
        "2026-07-02T03:04:05.123456,  2026-07-02T01:04:05.123456Z",
        "2026-07-02T03:04:05Z,        2026-07-02T03:04:05Z",
        "2026-07-02T03:04:05.123Z,    2026-07-02T03:04:05.123Z",
        "2026-07-02T03:04:05+02:00,   2026-07-02T01:04:05Z",
        "2026-07-02T03:04:05.5-05:30, 2026-07-02T08:34:05.5Z",
        "2026-07-02T03:04:05+00:00,   2026-07-02T03:04:05Z"})
    void timestampStylesAreAccepted(String written, String expected) {
        String file = "[{\"id\": \"p\", \"timestamp\": \"" + written + "\"}]";
        Pattern p = (Pattern) JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.timestamp()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void writesCamelCaseWithToIsoStringTimestampsAndLoomIndentation() {
        List<MemoryItem> items = JSON.read(bytes(SNAKE_PATTERN), ItemKind.PATTERN, "patterns.json");
        String out = new String(JSON.write(items), StandardCharsets.UTF_8);

        assertThat(out).startsWith("[\n  {\n    \"id\": \"p1\",\n    \"agent\": \"coder\",\n"
                + "    \"timestamp\": \"2026-01-02T03:04:05.123Z\",");
        assertThat(out).contains("\"successRate\": 0.75", "\"executionCount\": 4", "\"lastUsed\": \"2026-01-03T00:00:00.000Z\"",
                "\"confidenceScore\": 0.4");
        assertThat(out).doesNotContain("success_rate", "last_used");
        assertThat(out).endsWith("}\n]");
    }

    @Test
    void naiveLocalStyleWritesPythonIsoformat() {
        LoomJson naive = LoomJson.of(TimestampStyle.NAIVE_LOCAL, BERLIN);
        List<MemoryItem> items = naive.read(bytes(CAMEL_PATTERN), ItemKind.PATTERN, "patterns.json");
        String out = new String(naive.write(items), StandardCharsets.UTF_8);
        assertThat(out).contains("\"timestamp\": \"2026-01-02T04:04:05.123000\"", "\"lastUsed\": \"2026-01-03T01:00:00\"");
        assertThat(naive.read(bytes(out), ItemKind.PATTERN, "patterns.json")).isEqualTo(items);
    }

    @Test
    void gzipBytesInADotJsonFileAreDetected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("patterns.json");
        Files.write(file, CompressionCodec.gzip().compress(bytes(CAMEL_PATTERN)));
        assertThat(JSON.read(file, ItemKind.PATTERN))
                .isEqualTo(JSON.read(bytes(CAMEL_PATTERN), ItemKind.PATTERN, "patterns.json"));
    }

    @Test
    void missingFieldsTakeTheDefaultsOfDecisionSix() {
        Pattern p = (Pattern) JSON.read(bytes("[{\"id\": \"p\"}]"), ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.metrics().successRate()).isEqualTo(1.0);
        assertThat(p.metrics().executionCount()).isZero();
        assertThat(p.evolution().confidenceScore()).isEqualTo(1.0);
        assertThat(p.active()).isTrue();
        assertThat(p.tags()).isEmpty();
        assertThat(p.agent()).isEmpty();
        assertThat(p.timestamp()).isNull();

        Solution s = (Solution) JSON.read(bytes("[{\"id\": \"s\", \"effectiveness\": {}}]"), ItemKind.SOLUTION,
                "solutions.json").get(0);
        assertThat(s.effectiveness().worked()).isTrue();

        Decision d = (Decision) JSON.read(bytes("[{\"id\": \"d\", \"outcome\": {}}]"), ItemKind.DECISION,
                "decisions.json").get(0);
        assertThat(d.outcome()).isNotNull();
        assertThat(d.outcome().wouldRepeat()).isTrue();
        Decision noOutcome = (Decision) JSON.read(bytes("[{\"id\": \"d\"}]"), ItemKind.DECISION,
                "decisions.json").get(0);
        assertThat(noOutcome.outcome()).isNull();
    }

    @Test
    void lastUsedFallsBackToTheTimestamp() {
        Pattern p = (Pattern) JSON.read(bytes("[{\"id\": \"p\", \"timestamp\": \"2026-01-01T00:00:00Z\"}]"),
                ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.lastUsed()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void decisionOutcomeInBothStyles() {
        String python = """
                [{"id": "d", "outcome": {"would_repeat": false, "success_metrics": {"speed": 0.2},
                  "lessons_learned": ["x"]}, "reviewed_at": "2026-01-01T10:00:00"}]""";
        String ts = """
                [{"id": "d", "outcome": {"wouldRepeat": false, "successMetrics": {"speed": 0.2},
                  "lessonsLearned": ["x"]}, "reviewedAt": "2026-01-01T09:00:00.000Z"}]""";
        List<MemoryItem> a = JSON.read(bytes(python), ItemKind.DECISION, "decisions.json");
        List<MemoryItem> b = JSON.read(bytes(ts), ItemKind.DECISION, "decisions.json");
        assertThat(a).isEqualTo(b);
        Decision d = (Decision) a.get(0);
        assertThat(d.negativeOutcome()).isTrue();
        assertThat(d.outcome().lessonsLearned()).containsExactly("x");
        assertThat(d.reviewedAt()).isEqualTo(Instant.parse("2026-01-01T09:00:00Z"));
    }

    @Test
    void solutionSnakeCaseFields() {
        String file = """
                [{"id": "s", "effectiveness": {"worked": false, "time_to_fix_minutes": 12.5,
                  "prevented_recurrence": 2, "related_errors_fixed": 1}, "verified_count": 3}]""";
        Solution s = (Solution) JSON.read(bytes(file), ItemKind.SOLUTION, "solutions.json").get(0);
        assertThat(s.effectiveness().worked()).isFalse();
        assertThat(s.effectiveness().timeToFixMinutes()).isEqualTo(12.5);
        assertThat(s.effectiveness().preventedRecurrence()).isEqualTo(2);
        assertThat(s.effectiveness().relatedErrorsFixed()).isEqualTo(1);
        assertThat(s.verifiedCount()).isEqualTo(3);
    }

    @Test
    void unknownFieldsAreKeptAtEveryLevelAndWrittenBack() throws Exception {
        String file = """
                [{"id": "p", "custom": {"a": [1, 2]}, "metadata": {"created_by": "migration"}, "variations": [],
                  "metrics": {"successRate": 0.5, "window": 100},
                  "evolution": {"confidenceScore": 0.5, "history": ["x"]}}]""";
        Pattern p = (Pattern) JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.extra()).isEqualTo(RawJson.parse(
                "{\"custom\":{\"a\":[1,2]},\"metadata\":{\"created_by\":\"migration\"},\"variations\":[]}"));
        assertThat(p.metrics().extra()).isEqualTo(RawJson.parse("{\"window\":100}"));
        assertThat(p.evolution().extra()).isEqualTo(RawJson.parse("{\"history\":[\"x\"]}"));

        JsonNode written = Json.MAPPER.readTree(JSON.write(List.of(p))).get(0);
        assertThat(written.get("custom").get("a").get(1).asInt()).isEqualTo(2);
        assertThat(written.get("metrics").get("window").asInt()).isEqualTo(100);
        assertThat(written.get("evolution").get("history").get(0).asText()).isEqualTo("x");
    }

    @Test
    void anUnparseableTimestampIsKeptVerbatim() throws Exception {
        String file = """
                [{"id": "p", "timestamp": "yesterday", "evolution": {"lastUsed": "soon", "created": 17}}]""";
        Pattern p = (Pattern) JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.timestamp()).isNull();
        assertThat(p.evolution().lastUsed()).isNull();
        assertThat(p.evolution().created()).isNull();

        byte[] out = JSON.write(List.of(p));
        JsonNode written = Json.MAPPER.readTree(out).get(0);
        assertThat(written.get("timestamp").asText()).isEqualTo("yesterday");
        assertThat(written.get("evolution").get("lastUsed").asText()).isEqualTo("soon");
        assertThat(written.get("evolution").get("created").asInt()).isEqualTo(17);
        assertThat(JSON.read(out, ItemKind.PATTERN, "patterns.json")).containsExactly(p);
    }

    @Test
    void version2PatternsReadIntoTheModelAndStayVersion2() throws Exception {
        String file = """
                [{"id": "p", "agent": "coder", "timestamp": "2026-01-01T00:00:00", "version": "2.0.0",
                  "pattern": {"type": "t"}, "tags": ["a"], "active": false,
                  "performance": {"success_rate": 0.6, "execution_count": 7, "avg_time_saved_ms": 5,
                                  "error_prevention_count": 1},
                  "lifecycle": {"created_at": "2026-01-01T00:00:00", "last_used_at": "2026-02-01T00:00:00",
                                "refinement_count": 2, "confidence": 0.8},
                  "metadata": {"version": "2.0.0", "migrated_at": "2026-03-01T00:00:00"}}]""";
        Pattern p = (Pattern) JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(0);
        assertThat(p.metrics().successRate()).isEqualTo(0.6);
        assertThat(p.metrics().executionCount()).isEqualTo(7);
        assertThat(p.evolution().refinements()).isEqualTo(2);
        assertThat(p.evolution().confidenceScore()).isEqualTo(0.8);
        assertThat(p.evolution().lastUsed())
                .isEqualTo(LocalDateTime.parse("2026-02-01T00:00:00").atZone(BERLIN).toInstant());
        assertThat(p.active()).isFalse();

        JsonNode written = Json.MAPPER.readTree(JSON.write(List.of(p))).get(0);
        assertThat(written.get("version").asText()).isEqualTo("2.0.0");
        assertThat(written.has("metrics")).isFalse();
        assertThat(written.get("performance").get("success_rate").asDouble()).isEqualTo(0.6);
        assertThat(written.get("lifecycle").get("confidence").asDouble()).isEqualTo(0.8);
        assertThat(written.get("metadata").get("migrated_at").asText()).isEqualTo("2026-03-01T00:00:00");
        assertThat(JSON.read(JSON.write(List.of(p)), ItemKind.PATTERN, "patterns.json")).containsExactly(p);
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() {
        String file = "[{\"id\": \"p\", \"pattern\": {\"note\": \"Grüße 中文 😀\"}}]";
        List<MemoryItem> items = JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json");
        String out = new String(JSON.write(items), StandardCharsets.UTF_8);
        assertThat(out).contains("Grüße 中文 😀");
    }

    @Test
    void anEmptyArrayIsAnEmptyList() {
        assertThat(JSON.read(bytes("[]"), ItemKind.PATTERN, "patterns.json")).isEmpty();
        assertThat(JSON.read(bytes("  [ ]\n"), ItemKind.PATTERN, "patterns.json")).isEmpty();
        assertThat(new String(JSON.write(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
