package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.CorruptDataException;
import dev.aml.core.CorruptDataException.PositionKind;
import dev.aml.core.ItemKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every class of damaged input fails with a CorruptDataException that locates the damage; none reads as empty. */
class LoomJsonCorruptionTest {

    private static final LoomJson JSON = LoomJson.defaults();
    private static final String GOOD = "[{\"id\": \"p1\", \"tags\": [\"a\"]}, {\"id\": \"p2\"}]";

    @Test
    void truncatedJsonNamesTheFileAndTheByteOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("coder").resolve("patterns.json");
        Files.createDirectories(file.getParent());
        byte[] truncated = Arrays.copyOf(bytes(GOOD), 20);
        Files.write(file, truncated);

        assertThatThrownBy(() -> JSON.read(file, ItemKind.PATTERN))
                .isInstanceOfSatisfying(CorruptDataException.class, e -> {
                    assertThat(e.file()).contains(file);
                    assertThat(e.positionKind()).isEqualTo(PositionKind.BYTE_OFFSET);
                    assertThat(e.position()).isBetween(15L, 20L);
                    assertThat(e.getMessage()).contains(file.toString()).contains("left untouched");
                });
        assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\": \"p\"}                  | object",
        "\"patterns\"                     | string",
        "42                               | number",
        "null                             | null"})
    void topLevelValuesOtherThanArraysAreRejected(String json, String what) {
        expectCorrupt(() -> JSON.read(bytes(json), ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, 0)
                .hasMessageContaining("JSON " + what).hasMessageContaining("not an array");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"id\": \"p\"}, {\"id\": \"q\", \"metrics\": {\"successRate\": \"abc\"}}] | 1 | metrics.successRate",
        "[{\"id\": \"p\", \"tags\": [\"a\", 1]}]                                     | 0 | tags",
        "[{\"id\": \"p\", \"tags\": \"a\"}]                                          | 0 | tags",
        "[{\"id\": 5}]                                                               | 0 | id",
        "[{\"id\": \"p\"}, 7]                                                        | 1 | number",
        "[{\"id\": \"p\"}, {}, [1]]                                                  | 2 | array",
        "[{\"id\": \"p\", \"active\": \"yes\"}]                                      | 0 | active",
        "[{\"id\": \"p\", \"metrics\": {\"executionCount\": 2.5}}]                   | 0 | executionCount",
        "[{\"id\": \"p\", \"metrics\": {\"executionCount\": 1e300}}]                 | 0 | executionCount",
        "[{\"id\": \"p\", \"metrics\": {\"successRate\": 1e999}}]                    | 0 | successRate",
        "[{\"id\": \"p\", \"metrics\": [1]}]                                         | 0 | metrics",
        "[{\"id\": \"p\", \"evolution\": {\"confidence_score\": true}}]              | 0 | evolution.confidence_score"})
    void elementsOfTheWrongShapeNameTheElementAndField(String json, int index, String field) {
        expectCorrupt(() -> JSON.read(bytes(json), ItemKind.PATTERN, "patterns.json"), PositionKind.ELEMENT_INDEX,
                index).hasMessageContaining("element " + index).hasMessageContaining(field);
    }

    @Test
    void wrongShapesInSolutionsAndDecisions() {
        expectCorrupt(() -> JSON.read(bytes("[{\"effectiveness\": {\"worked\": \"no\"}}]"), ItemKind.SOLUTION,
                "solutions.json"), PositionKind.ELEMENT_INDEX, 0).hasMessageContaining("effectiveness.worked");
        expectCorrupt(() -> JSON.read(bytes("[{}, {\"outcome\": {\"would_repeat\": 0}}]"), ItemKind.DECISION,
                "decisions.json"), PositionKind.ELEMENT_INDEX, 1).hasMessageContaining("outcome.would_repeat");
        expectCorrupt(() -> JSON.read(bytes("[{\"outcome\": {\"successMetrics\": 3}}]"), ItemKind.DECISION,
                "decisions.json"), PositionKind.ELEMENT_INDEX, 0).hasMessageContaining("successMetrics");
    }

    @Test
    void invalidUtf8IsLocated() {
        byte[] data = bytes("[{\"id\": \"p?\"}]");
        data[10] = (byte) 0xC3; // start of a two-byte sequence ...
        data[11] = (byte) 0x28; // ... followed by an invalid continuation byte
        expectCorrupt(() -> JSON.read(data, ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, -1)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void emptyFileAndTrailingGarbageAreCorrupt() {
        expectCorrupt(() -> JSON.read(new byte[0], ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, 0)
                .hasMessageContaining("empty");
        expectCorrupt(() -> JSON.read(bytes("[] []"), ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, 3)
                .hasMessageContaining("after its array");
        expectCorrupt(() -> JSON.read(bytes("[{\"id\": \"p\"},"), ItemKind.PATTERN, "patterns.json"),
                PositionKind.BYTE_OFFSET, -1);
    }

    @Test
    void truncatedGzipIsCorrupt() {
        byte[] gz = CompressionCodec.gzip().compress(bytes(GOOD));
        for (int cut : new int[] {gz.length - 1, gz.length - 4, gz.length - 8, gz.length / 2, 5}) {
            byte[] truncated = Arrays.copyOf(gz, cut);
            expectCorrupt(() -> JSON.read(truncated, ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, -1)
                    .hasMessageContaining("gzip");
        }
    }

    @Test
    void gzipWithABrokenTrailerIsCorrupt() {
        byte[] gz = CompressionCodec.gzip().compress(bytes(GOOD));
        gz[gz.length - 6] ^= 0x55; // inside the CRC32 of the trailer
        expectCorrupt(() -> JSON.read(gz, ItemKind.PATTERN, "patterns.json"), PositionKind.BYTE_OFFSET, -1)
                .hasMessageContaining("gzip");
    }

    @Test
    void aSingleItemThatIsNotAnObjectIsCorrupt() {
        assertThatThrownBy(() -> JSON.readItem(bytes("[1]"), ItemKind.PATTERN, "journal entry 3"))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("journal entry 3");
        assertThatThrownBy(() -> JSON.readItem(bytes("{\"id\": "), ItemKind.PATTERN, "journal entry 3"))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("not valid JSON");
    }

    /** position -1 means: any position, but it must be of that kind. */
    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> expectCorrupt(
            ThrowingCallable call, PositionKind kind, long position) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CorruptDataException.class, e -> {
            assertThat(e.positionKind()).isEqualTo(kind);
            if (position >= 0) {
                assertThat(e.position()).isEqualTo(position);
            } else {
                assertThat(e.position()).isNotNegative();
            }
            assertThat(e.getMessage()).containsAnyOf("patterns.json", "solutions.json", "decisions.json")
                    .contains("left untouched");
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
