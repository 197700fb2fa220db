package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single changed byte and every truncation of every file of a backup (payloads and the
 * manifest, of a full backup and of an incremental that references it) is detected by verify.
 */
class BackupDamageTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "none"})
    void everyFlippedByteAndEveryTruncationIsDetected(String codec) throws IOException {
        Path root = tmp.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Trees.write(root.resolve("coder/patterns.json"), "[{\"id\":\"p1\",\"agent\":\"coder\"}]");
        Trees.write(root.resolve("coder/solutions.json"), "[]");
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.0.0\"}");
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        BackupEngine engine = new BackupEngine(MemoryStore.inMemory(), root,
                BackupConfig.defaults().toBuilder().codec(codec).build(), clock, ProgressListener.none());
        BackupInfo full = engine.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Trees.write(root.resolve("coder/solutions.json"), "[{\"id\":\"s1\"}]");
        BackupInfo incr = engine.createIncremental("");
        assertThat(engine.verify(incr.id(), false).ok()).isTrue();

        // each file, with the backups whose verify must notice its damage
        List<Path> files = new ArrayList<>();
        java.util.Map<Path, List<String>> judges = new java.util.HashMap<>();
        Manifest incrManifest = Manifest.parse(Files.readAllBytes(incr.path().resolve(Manifest.FILE_NAME)));
        for (BackupInfo b : List.of(full, incr)) {
            try (Stream<Path> s = Files.walk(b.path())) {
                // the manifests do not depend on the codec: check them exhaustively once, with gzip
                s.filter(Files::isRegularFile)
                        .filter(f -> codec.equals("gzip") || !f.getFileName().toString().equals(Manifest.FILE_NAME))
                        .forEach(f -> {
                    files.add(f);
                    String rel = b.path().relativize(f).toString().replace('\\', '/');
                    boolean referencedByIncr = incrManifest.files().values().stream()
                            .anyMatch(e -> e.storedIn().equals(b.id()) && e.storedName().equals(rel));
                    judges.put(f, b == full && referencedByIncr
                            ? List.of(full.id(), incr.id()) : List.of(b.id()));
                });
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(codec.equals("gzip") ? 6 : 4);
        int checks = 0;
        for (Path file : files) {
            byte[] good = Files.readAllBytes(file);
            for (int i = 0; i < good.length; i++) {
                boolean manifest = file.getFileName().toString().equals(Manifest.FILE_NAME);
                for (int mask : manifest ? new int[] {0x01} : new int[] {0x01, 0xFF}) {
                    byte[] bad = good.clone();
                    bad[i] ^= (byte) mask;
                    Files.write(file, bad);
                    for (String judge : judges.get(file)) {
                        assertThat(engine.verify(judge, false).ok())
                                .as("%s byte %d ^ %02x, verify %s", file, i, mask, judge).isFalse();
                        checks++;
                    }
                }
            }
            for (int len = 0; len < good.length; len++) {
                Files.write(file, java.util.Arrays.copyOf(good, len));
                for (String judge : judges.get(file)) {
                    assertThat(engine.verify(judge, false).ok()).as("%s truncated to %d, verify %s", file, len, judge)
                            .isFalse();
                    checks++;
                }
            }
            Files.write(file, good);
        }
        assertThat(engine.verify(incr.id(), false).ok()).isTrue();
        assertThat(engine.verify(full.id(), false).ok()).isTrue();
        assertThat(checks).isGreaterThan(codec.equals("gzip") ? 3000 : 300);
    }
}
