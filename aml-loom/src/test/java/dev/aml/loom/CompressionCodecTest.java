package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CompressionCodecTest {

    @Provide
    Arbitrary<CompressionCodec> codecs() {
        return Arbitraries.of(CompressionCodec.none(), CompressionCodec.gzip(), CompressionCodec.gzip(1),
                CompressionCodec.lz4());
    }

    @Provide
    Arbitrary<byte[]> data() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300_000),
                Arbitraries.strings().ofMaxLength(5000).map(s -> s.repeat(3).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Property(tries = 60)
    void roundTrip(@ForAll("codecs") CompressionCodec codec, @ForAll("data") byte[] data) {
        byte[] compressed = codec.compress(data);
        assertThat(codec.decompress(compressed)).isEqualTo(data);
        assertThat(CompressionCodec.detect(compressed).name())
                .isEqualTo(codec == CompressionCodec.none() ? detectPlain(data) : codec.name());
    }

    @Property(tries = 40)
    void streamsRoundTrip(@ForAll("codecs") CompressionCodec codec, @ForAll("data") byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = codec.compressing(sink)) {
            for (int i = 0; i < data.length; i += 1000) { // many small writes
                out.write(data, i, Math.min(1000, data.length - i));
            }
        }
        try (InputStream in = codec.decompressing(new ByteArrayInputStream(sink.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Property(tries = 60)
    void truncationIsAlwaysDetected(@ForAll("compressingCodecs") CompressionCodec codec,
            @ForAll @Size(min = 1, max = 20_000) byte[] data, @ForAll @IntRange(min = 1, max = 1000) int cut) {
        byte[] compressed = codec.compress(data);
        Assume.that(cut < compressed.length);
        byte[] truncated = Arrays.copyOf(compressed, compressed.length - cut);
        assertThatThrownBy(() -> codec.decompress(truncated)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(codec.name());
    }

    @Property(tries = 60)
    void aFlippedByteIsDetected(@ForAll("compressingCodecs") CompressionCodec codec,
            @ForAll @Size(min = 1, max = 20_000) byte[] data, @ForAll @IntRange(min = 0, max = 100_000) int where,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] compressed = codec.compress(data);
        byte[] damaged = compressed.clone();
        damaged[where % damaged.length] ^= (byte) mask;
        try {
            assertThat(codec.decompress(damaged)).as("damage was silently accepted but changed nothing")
                    .isEqualTo(data);
        } catch (CorruptDataException expected) {
            assertThat(expected.getMessage()).contains(codec.name());
        }
    }

    @Provide
    Arbitrary<CompressionCodec> compressingCodecs() {
        return Arbitraries.of(CompressionCodec.gzip(), CompressionCodec.lz4());
    }

    @Example
    void namesAndLookup() {
        assertThat(CompressionCodec.builtIns()).extracting(CompressionCodec::name).containsExactly("none", "gzip", "lz4");
        assertThat(CompressionCodec.byName("lz4")).containsSame(CompressionCodec.lz4());
        assertThat(CompressionCodec.byName("zstd")).isEmpty();
        assertThat(CompressionCodec.gzip().fileSuffix()).isEqualTo(".gz");
        assertThatThrownBy(() -> CompressionCodec.gzip(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> CompressionCodec.gzip(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void detectionUsesMagicBytesOnly() {
        assertThat(CompressionCodec.detect(new byte[] {0x1f, (byte) 0x8b})).isSameAs(CompressionCodec.gzip());
        assertThat(CompressionCodec.detect(new byte[] {0x04, 0x22, 0x4d, 0x18})).isSameAs(CompressionCodec.lz4());
        assertThat(CompressionCodec.detect("[]".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isSameAs(CompressionCodec.none());
        assertThat(CompressionCodec.detect(new byte[0])).isSameAs(CompressionCodec.none());
        assertThat(CompressionCodec.detect(new byte[] {0x1f})).isSameAs(CompressionCodec.none());
    }

    @Example
    void higherGzipLevelsAreNotLarger() {
        byte[] data = "{\"successRate\": 0.5, \"executionCount\": 1}\n".repeat(2000)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CompressionCodec.gzip(9).compress(data).length)
                .isLessThanOrEqualTo(CompressionCodec.gzip(1).compress(data).length);
    }

    private static String detectPlain(byte[] data) {
        return CompressionCodec.detect(data).name();
    }
}
