package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Decision;
import dev.aml.core.Effectiveness;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17: boolean fields written by Loom's Python side as {@code null}, {@code 0}/{@code 1} or words
 * no longer make the whole file (and so the agent) unreadable, and are written back as they were.
 */
class LenientBooleanFieldsTest {

    private static final LoomJson JSON = LoomJson.of(TimestampStyle.UTC_Z, ZoneOffset.UTC);

    @ParameterizedTest(name = "worked {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "true | true", "false | false", "null | true", "0 | false", "1 | true", "0.0 | false", "2 | true",
        "\"no\" | false", "\"Yes\" | true", "\" false \" | false", "\"\" | true", "\"maybe\" | true",
        "[1] | true", "{\"a\": 1} | true"})
    void workedIsReadByTheRuleAndWrittenBackByteForByte(String value, boolean expected) {
        String file = solutionFile(value);
        List<MemoryItem> items = JSON.read(bytes(file), ItemKind.SOLUTION, "solutions.json");
        Solution s = (Solution) items.get(0);
        assertThat(s.effectiveness().worked()).isEqualTo(expected);
        assertThat(((Solution) items.get(1)).id()).isEqualTo("s2"); // the rest of the file is read too
        assertThat(new String(JSON.write(items), StandardCharsets.UTF_8)).isEqualTo(file);
        assertThat(JSON.read(JSON.write(items), ItemKind.SOLUTION, "solutions.json")).isEqualTo(items);
    }

    @Test
    void aChangedValueIsWrittenAsABooleanAndTheOldOneDropped() {
        Solution s = (Solution) JSON.read(bytes(solutionFile("1")), ItemKind.SOLUTION, "solutions.json").get(0);
        Effectiveness e = s.effectiveness();
        Solution failed = new Solution(s.id(), s.agent(), s.timestamp(), s.problem(), s.solution(),
                new Effectiveness(false, e.timeToFixMinutes(), e.preventedRecurrence(), e.relatedErrorsFixed(),
                        e.extra()), s.tags(), s.active(), s.verifiedCount(), s.extra());
        String out = new String(JSON.write(List.of(failed)), StandardCharsets.UTF_8);
        assertThat(out).contains("\"worked\": false").doesNotContain("\"worked\": 1");
        assertThat(((Solution) JSON.read(bytes(out), ItemKind.SOLUTION, "solutions.json").get(0))
                .effectiveness().worked()).isFalse();
    }

    @Test
    void wouldRepeatAndActiveFollowTheSameRuleInEitherSpelling() {
        String file = """
                [{"id": "d1", "decision": {}, "outcome": {"would_repeat": 0}, "active": 1},
                 {"id": "p1", "active": null}]""";
        Decision d = (Decision) JSON.read(bytes(file), ItemKind.DECISION, "decisions.json").get(0);
        assertThat(d.outcome().wouldRepeat()).isFalse();
        assertThat(d.active()).isTrue();
        String out = new String(JSON.write(List.of(d)), StandardCharsets.UTF_8);
        assertThat(out).contains("\"wouldRepeat\": 0", "\"active\": 1").doesNotContain("would_repeat");
        Pattern p = (Pattern) JSON.read(bytes(file), ItemKind.PATTERN, "patterns.json").get(1);
        assertThat(p.active()).isTrue();
        assertThat(new String(JSON.write(List.of(p)), StandardCharsets.UTF_8)).contains("\"active\": null");
    }

    /** Two solutions in the layout AML writes, the first with {@code worked} as given. */
    private static String solutionFile(String worked) {
        List<Solution> two = List.of(solution("s1"), solution("s2"));
        String file = new String(JSON.write(two), StandardCharsets.UTF_8);
        String pretty = worked.equals("[1]") ? "[\n        1\n      ]"
                : worked.startsWith("{") ? "{\n        \"a\": 1\n      }" : worked;
        return file.replaceFirst("\"worked\": true", java.util.regex.Matcher.quoteReplacement("\"worked\": " + pretty));
    }

    private static Solution solution(String id) {
        return new Solution(id, "coder", java.time.Instant.parse("2026-01-02T03:04:05Z"), RawJson.emptyObject(),
                RawJson.emptyObject(), new Effectiveness(true, 5, 0, 0, RawJson.emptyObject()), List.of(), true, 0,
                RawJson.emptyObject());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
