package dev.aml.maintenance.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.CorruptDataException;
import dev.aml.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The streaming file scan of the monitor gives what parsing the whole file into a tree gave (the
 * scanner before it streamed, kept here as the oracle): the same item count, the same compact size
 * of every element, the same shape problem, and an error exactly when the tree parse failed.
 */
class TreeScannerFileScanTest {

    private static final Path FILE = Path.of("agent", "patterns.json");

    /** The tree-based scan the streaming one replaced. */
    private static TreeScanner.FileScan oracle(byte[] data) {
        JsonNode tree = MonitorFiles.parse(FILE, data);
        if (!tree.isArray()) {
            return new TreeScanner.FileScan(0, 0, 0, "is a JSON " + tree.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + ", not an array of items; it was left untouched");
        }
        for (int i = 0; i < tree.size(); i++) {
            if (!tree.get(i).isObject()) {
                return new TreeScanner.FileScan(0, 0, 0, "element " + i + " is a JSON " + tree.get(i).getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT) + ", not an item object; the file was left untouched");
            }
        }
        long bytes = 0;
        for (JsonNode item : tree) {
            try {
                bytes += Json.MAPPER.writeValueAsBytes(item).length;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new TreeScanner.FileScan(tree.size(), bytes, tree.size(), null);
    }

    private static void assertSameAsOracle(byte[] data) {
        TreeScanner.FileScan expected;
        try {
            expected = oracle(data);
        } catch (CorruptDataException e) {
            assertThatThrownBy(() -> TreeScanner.scanFile(FILE, data, true))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageStartingWith(e.getMessage().substring(0, e.getMessage().indexOf(" (") < 0
                            ? e.getMessage().length() : e.getMessage().indexOf(" (")).replaceAll(" at byte \\d+$", ""));
            return;
        }
        assertThat(TreeScanner.scanFile(FILE, data, true)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void validItemArraysScanLikeTheTreeParse(@ForAll("itemArrays") String json, @ForAll boolean gzip) {
        assertSameAsOracle(bytes(json, gzip));
    }

    @Property(tries = 300)
    void truncatedOrDamagedFilesFailOrScanLikeTheTreeParse(@ForAll("itemArrays") String json,
            @ForAll("cuts") double cut, @ForAll("garbage") String garbage) {
        String damaged = json.substring(0, (int) (json.length() * cut)) + garbage;
        assertSameAsOracle(damaged.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shapesOtherThanAnArrayOfObjectsAreReportedAsTheTreeParseReportedThem() {
        for (String json : List.of("{}", "\"text\"", "42", "4.5", "true", "null", "[1]", "[{}, []]",
                "[{}, \"x\", {}]", "[null]", "[{\"a\": 1}, true]", "[[{}]]")) {
            assertSameAsOracle(json.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(TreeScanner.scanFile(FILE, "[{}, 7]".getBytes(StandardCharsets.UTF_8), true).shapeProblem())
                .isEqualTo("element 1 is a JSON number, not an item object; the file was left untouched");
    }

    @Test
    void emptyInvalidAndTrailingInputIsAnErrorNeverAnEmptyFile() {
        for (String json : List.of("", "   ", "[", "[{}", "[{},]", "[{}] x", "[{}] []", "{\"a\":", "[{\"a\" 1}]")) {
            assertSameAsOracle(json.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> TreeScanner.scanFile(FILE, json.getBytes(StandardCharsets.UTF_8), true))
                    .as(json).isInstanceOf(CorruptDataException.class);
        }
        byte[] notGzip = {0x1f, (byte) 0x8b, 1, 2, 3};
        assertThatThrownBy(() -> TreeScanner.scanFile(FILE, notGzip, true))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("cannot be decompressed");
    }

    @Test
    void itemsAreCountedButNotMeasuredWhenNotAsked() {
        TreeScanner.FileScan f = TreeScanner.scanFile(FILE, "[{\"id\": \"a\"}, {\"id\": \"b\"}]"
                .getBytes(StandardCharsets.UTF_8), false);
        assertThat(f).isEqualTo(new TreeScanner.FileScan(2, 0, 0, null));
    }

    @Provide
    Arbitrary<String> itemArrays() {
        Arbitrary<String> keys = Arbitraries.of("id", "success_rate", "last_used", "tags", "context", "é-ключ", "a\"b");
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
                Arbitraries.of("0.90", "1e3", "-0.0", "12345678901234567890123", "1.5E-7"),
                Arbitraries.strings().ofMaxLength(12).map(TreeScannerFileScanTest::quote),
                Arbitraries.of("true", "false", "null"));
        Arbitrary<String> values = Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]"));
        Arbitrary<String> member = Combinators.combine(keys, values).as((k, v) -> quote(k) + ": " + v);
        Arbitrary<String> object = member.list().ofMaxSize(5).uniqueElements(m -> m.substring(0, m.indexOf("\": ")))
                .map(l -> "{" + String.join(", ", l) + "}");
        return object.list().ofMaxSize(6).map(l -> "[\n  " + String.join(",\n  ", l) + "\n]");
    }

    @Provide
    Arbitrary<Double> cuts() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.of("", "]", "}", "x", "[]", " ", ",", "\"");
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String json, boolean gzip) {
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        if (!gzip) {
            return plain;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
