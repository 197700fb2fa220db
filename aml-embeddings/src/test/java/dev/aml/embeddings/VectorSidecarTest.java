package dev.aml.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.CorruptDataException;
import dev.aml.core.relevance.VectorSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorSidecarTest {

    @TempDir
    Path dir;

    private static VectorSnapshot snapshot(int n, int dim) {
        List<String> keys = new java.util.ArrayList<>();
        long[] hashes = new long[n];
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            keys.add("coder/pattern/" + i + "-ü");
            hashes[i] = 31L * i - 7;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
        }
        return new VectorSnapshot("model-x", dim, keys, hashes, v);
    }

    @Test
    void roundTripsUnderGlobalAndWritesNothingElse() throws IOException {
        VectorSidecar s = VectorSidecar.in(dir);
        assertThat(s.load()).isEmpty();
        VectorSnapshot snap = snapshot(5, 3);
        s.save(snap);
        assertThat(s.file()).isEqualTo(dir.resolve("global/embeddings.vec"));
        try (var files = Files.list(dir.resolve("global"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("embeddings.vec");
        }
        VectorSnapshot back = s.load().orElseThrow();
        assertThat(back.modelId()).isEqualTo("model-x");
        assertThat(back.dimension()).isEqualTo(3);
        assertThat(back.keys()).isEqualTo(snap.keys());
        assertThat(back.textHashes()).isEqualTo(snap.textHashes());
        assertThat(back.vectors()).isEqualTo(snap.vectors());
    }

    @Property(tries = 60)
    void anyFlippedByteOrTruncationIsReportedAndTheFileLeftAlone(@ForAll @IntRange(min = 0, max = 10_000) int where,
            @ForAll boolean truncate) throws IOException {
        Path file = Files.createTempDirectory("sidecar").resolve("e.vec");
        VectorSidecar s = VectorSidecar.at(file);
        s.save(snapshot(4, 8));
        byte[] bytes = Files.readAllBytes(file);
        int at = where % bytes.length;
        if (truncate) {
            bytes = java.util.Arrays.copyOf(bytes, at);
        } else {
            bytes[at] ^= 0x5a;
        }
        Files.write(file, bytes);
        byte[] written = bytes;
        assertThatThrownBy(s::load).isInstanceOf(CorruptDataException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("optimize index");
        assertThat(Files.readAllBytes(file)).isEqualTo(written);
    }

    @Test
    void aNewerFormatVersionIsRefusedWithAHint() throws IOException {
        VectorSidecar s = VectorSidecar.in(dir);
        s.save(snapshot(1, 2));
        byte[] b = Files.readAllBytes(s.file());
        b[8] = 9; // version, little-endian int after the 8-byte magic
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(b.length - 8, crc.getValue());
        Files.write(s.file(), b);
        assertThatThrownBy(s::load).isInstanceOf(CorruptDataException.class).hasMessageContaining("version 9");
    }
}
