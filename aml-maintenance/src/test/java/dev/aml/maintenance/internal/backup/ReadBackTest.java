package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.loom.CompressionCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-for-byte check a backup makes of each payload it wrote (verify-after-backup). */
class ReadBackTest {

    private static final byte[] PLAIN = "[{\"id\": \"p1\", \"success_rate\": 0.9}]".getBytes(StandardCharsets.UTF_8);
    private final CompressionCodec gzip = CompressionCodec.gzip(9);

    @Test
    void aPayloadThatReadsBackAsWrittenPasses(@TempDir Path dir) throws IOException {
        byte[] packed = gzip.compress(PLAIN);
        Path out = Files.write(dir.resolve("patterns.json.gz"), packed);
        assertThat(BackupWriter.readBack(out, packed, PLAIN, gzip)).isNull();
    }

    @Test
    void aPayloadWhoseBytesOnDiskDifferFromWhatWasWrittenIsReported(@TempDir Path dir) throws IOException {
        byte[] packed = gzip.compress(PLAIN);
        byte[] damaged = packed.clone();
        damaged[damaged.length / 2] ^= 0x01;
        Path out = Files.write(dir.resolve("patterns.json.gz"), damaged);
        assertThat(BackupWriter.readBack(out, packed, PLAIN, gzip)).contains("does not read back as written");
    }

    @Test
    void aPayloadCutShortOnDiskIsReported(@TempDir Path dir) throws IOException {
        byte[] packed = gzip.compress(PLAIN);
        Path out = Files.write(dir.resolve("patterns.json.gz"), java.util.Arrays.copyOf(packed, packed.length - 3));
        assertThat(BackupWriter.readBack(out, packed, PLAIN, gzip)).contains("does not read back as written")
                .contains((packed.length - 3) + " bytes read");
    }

    @Test
    void aPayloadThatDoesNotDecompressToTheSourceBytesIsReported(@TempDir Path dir) throws IOException {
        byte[] other = gzip.compress("[]".getBytes(StandardCharsets.UTF_8));
        Path out = Files.write(dir.resolve("patterns.json.gz"), other);
        assertThat(BackupWriter.readBack(out, other, PLAIN, gzip))
                .contains("does not decompress to the bytes that were backed up");
    }

    @Test
    void aPayloadThatDecompressesToMoreOrFewerBytesThanTheSourceIsReported(@TempDir Path dir) throws IOException {
        byte[] packed = gzip.compress(PLAIN);
        Path out = Files.write(dir.resolve("patterns.json.gz"), packed);
        byte[] prefix = java.util.Arrays.copyOf(PLAIN, 10);
        assertThat(BackupWriter.readBack(out, packed, prefix, gzip)).contains("does not decompress to the bytes");
        byte[] longer = java.util.Arrays.copyOf(PLAIN, PLAIN.length + 1);
        assertThat(BackupWriter.readBack(out, packed, longer, gzip))
                .contains("(" + PLAIN.length + " of " + longer.length + " bytes)");
    }

    @Test
    void aPayloadThatIsNotTheCodecsFormatIsReported(@TempDir Path dir) throws IOException {
        byte[] notGzip = "not gzip at all".getBytes(StandardCharsets.UTF_8);
        Path out = Files.write(dir.resolve("patterns.json.gz"), notGzip);
        assertThat(BackupWriter.readBack(out, notGzip, PLAIN, gzip)).contains("does not decompress");
    }
}
