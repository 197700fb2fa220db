package dev.aml.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawJsonTest {

    @Test
    void normalisesToCompactTextAndKeepsKeyOrder() {
        RawJson a = RawJson.parse("{ \"b\" : 1,\n \"a\": [true, null, \"x\"] }");
        assertThat(a.json()).isEqualTo("{\"b\":1,\"a\":[true,null,\"x\"]}");
        assertThat(a).isEqualTo(RawJson.parse("{\"b\":1,\"a\":[true,null,\"x\"]}"));
        assertThat(a).isNotEqualTo(RawJson.parse("{\"a\":[true,null,\"x\"],\"b\":1}"));
    }

    @Test
    void fromMapAndBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "retry");
        m.put("steps", List.of("a", "b"));
        RawJson j = RawJson.of(m);
        assertThat(j.json()).isEqualTo("{\"type\":\"retry\",\"steps\":[\"a\",\"b\"]}");
        assertThat(j.string("type")).contains("retry");
        assertThat(j.string("steps")).isEmpty();
        assertThat(RawJson.of(Map.of())).isSameAs(RawJson.emptyObject());
    }

    @Test
    void treesAreDefensiveCopies() {
        RawJson j = RawJson.parse("{\"a\":1}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) j.tree()).put("a", 2);
        assertThat(j.json()).isEqualTo("{\"a\":1}");
    }

    @Test
    void invalidJsonIsRejectedClearly() {
        assertThatThrownBy(() -> RawJson.parse("{\"a\":")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Not valid JSON");
        assertThatThrownBy(() -> RawJson.parse("{} {}")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void searchesEscapedAndNestedValues() {
        RawJson j = RawJson.parse("{\"a\":{\"b\":[\"Caf\\u00e9 au lait\"]}}");
        assertThat(j.containsText("café")).isTrue();
        assertThat(j.containsText("tea")).isFalse();
        assertThat(j.containsText("")).isTrue();
    }
}
