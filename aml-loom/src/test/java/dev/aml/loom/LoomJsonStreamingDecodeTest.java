package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading a file copies free-form bodies and unknown objects as compact text straight from the
 * parser; these tests pin that the text is exactly what the tree path ({@link RawJson#parse},
 * {@link LoomJson#readItem}) produces, for the values where the two could differ.
 */
class LoomJsonStreamingDecodeTest {

    private static final LoomJson JSON = LoomJson.defaults();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\": 1.5e300, \"b\": 0.1, \"c\": -0.0, \"d\": 1E2, \"e\": 123456789012345678901234567890}",
        "{\"big\": -9223372036854775809, \"long\": 9223372036854775807, \"int\": -2147483648, \"f\": 1.0}",
        "{\"s\": \"tab\\t nl\\n quote\\\" slash\\/ u\\u0001 \\u00e9 é 😀 \\ud83d\\ude00\"}",
        "{\"dup\": 1, \"x\": [1, {\"y\": null}], \"dup\": {\"z\": true}}",
        "{\"nested\": {\"deep\": [[[]], {}, [{\"k\": \"v\"}]]}, \"empty\": {}}",
        "{}",
    })
    void bodiesAndUnknownObjectsEqualTheTreePath(String body) {
        String element = "{\"id\": \"p1\", \"agent\": \"a\", \"pattern\": " + body
                + ", \"unknownObj\": " + body + ", \"unknownArr\": [" + body + "], \"n\": 2.50}";
        byte[] file = ("[\n  " + element + "\n]").getBytes(StandardCharsets.UTF_8);

        List<MemoryItem> fromFile = JSON.read(file, ItemKind.PATTERN, "patterns.json");
        MemoryItem fromTree = JSON.readItem(element.getBytes(StandardCharsets.UTF_8), ItemKind.PATTERN, "item");

        assertThat(fromFile).containsExactly(fromTree);
        Pattern p = (Pattern) fromFile.get(0);
        assertThat(p.pattern()).isEqualTo(RawJson.parse(body));
        assertThat(p.extra().json()).startsWith("{\"unknownObj\":" + RawJson.parse(body).json() + ",");
    }

    @Test
    void duplicateBodyKeyKeepsTheLastValueLikeATree() {
        String element = "{\"id\": \"s1\", \"problem\": {\"a\": 1}, \"solution\": \"x\", \"problem\": {\"b\": [2]}}";
        byte[] file = ("[" + element + "]").getBytes(StandardCharsets.UTF_8);

        Solution s = (Solution) JSON.read(file, ItemKind.SOLUTION, "solutions.json").get(0);

        assertThat(s.problem().json()).isEqualTo("{\"b\":[2]}");
        assertThat(s.solution().json()).isEqualTo("\"x\"");
        assertThat(s).isEqualTo(JSON.readItem(element.getBytes(StandardCharsets.UTF_8), ItemKind.SOLUTION, "item"));
    }
}
