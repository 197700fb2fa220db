package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Decision;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.Solution;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LoomJsonRoundTripTest {

    private static final LoomJson UTC = LoomJson.defaults();
    private static final LoomJson NAIVE = LoomJson.of(TimestampStyle.NAIVE_LOCAL, ZoneOffset.ofHours(2));

    @Provide
    Arbitrary<List<Pattern>> patternLists() {
        return ItemArbitraries.patterns().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Solution>> solutionLists() {
        return ItemArbitraries.solutions().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Decision>> decisionLists() {
        return ItemArbitraries.decisions().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<LoomJson> codecs() {
        return Arbitraries.of(UTC, NAIVE);
    }

    @Property(tries = 50)
    void patternsSurviveWriteThenRead(@ForAll("patternLists") List<Pattern> items, @ForAll("codecs") LoomJson json) {
        assertThat(json.read(json.write(items), ItemKind.PATTERN, "patterns.json")).isEqualTo(items);
    }

    @Property(tries = 50)
    void solutionsSurviveWriteThenRead(@ForAll("solutionLists") List<Solution> items,
            @ForAll("codecs") LoomJson json) {
        assertThat(json.read(json.write(items), ItemKind.SOLUTION, "solutions.json")).isEqualTo(items);
    }

    @Property(tries = 50)
    void decisionsSurviveWriteThenRead(@ForAll("decisionLists") List<Decision> items,
            @ForAll("codecs") LoomJson json) {
        assertThat(json.read(json.write(items), ItemKind.DECISION, "decisions.json")).isEqualTo(items);
    }

    @Property(tries = 80)
    void singleItemsSurviveWriteThenRead(@ForAll("items") MemoryItem item) {
        byte[] bytes = UTC.writeItem(item);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\n");
        assertThat(UTC.readItem(bytes, item.kind(), "journal entry")).isEqualTo(item);
    }

    @Property(tries = 50)
    void gzipAndLz4FilesReadLikePlainOnes(@ForAll("patternLists") List<Pattern> items) {
        byte[] plain = UTC.write(items);
        assertThat(UTC.read(CompressionCodec.gzip().compress(plain), ItemKind.PATTERN, "patterns.json"))
                .isEqualTo(items);
        assertThat(UTC.read(CompressionCodec.lz4().compress(plain), ItemKind.PATTERN, "patterns.json"))
                .isEqualTo(items);
    }

    @Property(tries = 80)
    void timestampsAreLossless(@ForAll("instants") Instant instant, @ForAll("codecs") LoomJson json) {
        String text = json.formatTimestamp(instant);
        assertThat(json.parseTimestamp(text)).contains(instant);
        if (json == UTC && instant.getNano() % 1_000_000 == 0) {
            assertThat(text).isEqualTo(instant.toString().length() == 20
                    ? instant.toString().replace("Z", ".000Z") : instant.toString());
        }
    }

    @Provide
    Arbitrary<MemoryItem> items() {
        return ItemArbitraries.items();
    }

    @Provide
    Arbitrary<Instant> instants() {
        return ItemArbitraries.instants();
    }
}
