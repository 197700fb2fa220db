package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.BackupException;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stat cache of incremental backups ({@link ChangeDetector}): unchanged files are not re-read,
 * and every way of changing a file that keeps size and modification time is still detected.
 * Tests on the real file system need {@code unix:} attributes with sub-second timestamps (Linux,
 * macOS APFS); the racily-clean and fallback rules are tested on a simulated file system.
 */
class ChangeDetectionTest {

    static final int FILES = 6; // Trees.sample: 4 item files, global/index.json, config/schema_version.json

    @TempDir
    Path tmp;

    Path root;
    MutableClock clock;
    BackupEngine backups;

    @BeforeEach
    void setUp() {
        root = Trees.sample(tmp.resolve("memory"));
        clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        backups = engine(BackupConfig.defaults(), ChangeDetector.StatSource.system());
    }

    BackupEngine engine(BackupConfig config, ChangeDetector.StatSource stats) {
        return new BackupEngine(MemoryStore.inMemory(), root, config, clock, ProgressListener.none(), stats);
    }

    static Manifest manifest(BackupInfo b) throws IOException {
        return Manifest.parse(Files.readAllBytes(b.path().resolve(Manifest.FILE_NAME)));
    }

    /** Skips where the real file system cannot hold a stat cache (the fallback is tested below). */
    void assumeStatCache() throws IOException {
        ChangeDetector.FileStat probe = ChangeDetector.StatSource.system().probe(tmp);
        Assumptions.assumeTrue(probe != null && probe.ctimeNanos() % 1_000_000_000L != 0,
                "needs unix: attributes with sub-second timestamps");
    }

    /**
     * Waits (bounded, without sleeping) until the file system's clock has ticked past every file's
     * ctime, so the next backup records stat tuples that are not racily clean. Polls the file
     * system's own clock; this is not synchronization between threads.
     */
    void fileClockPastTree() throws IOException {
        long newest = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                newest = Math.max(newest, ChangeDetector.StatSource.system().stat(p).ctimeNanos());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ChangeDetector.StatSource.system().probe(tmp).ctimeNanos() <= newest) {
            assertThat(System.nanoTime()).as("the file system's clock did not move for 5 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void unchangedFilesAreNotReadAgainAndTheStatTupleIsRecorded() throws IOException {
        assumeStatCache();
        fileClockPastTree();
        BackupInfo full = backups.createFull("");
        Manifest fm = manifest(full);
        assertThat(fm.statClock()).isNotNull();
        assertThat(fm.detection().hashed()).isEqualTo(FILES);
        ChangeDetector.FileStat recorded = fm.files().get("coder/patterns.json").stat();
        assertThat(recorded).isEqualTo(ChangeDetector.StatSource.system().stat(root.resolve("coder/patterns.json")));
        assertThat(recorded.ctimeNanos()).isLessThan(fm.statClock().nanos());

        clock.advance(Duration.ofMinutes(1));
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");
        BackupInfo incr = backups.createIncremental("");

        Manifest im = manifest(incr);
        assertThat(im.detection().mode()).isEqualTo(ChangeDetector.Mode.STAT_CACHE);
        assertThat(im.detection().reused()).isEqualTo(FILES - 1);
        assertThat(im.detection().hashed()).isEqualTo(1);
        assertThat(im.ownFiles().keySet()).containsExactly("config/schema_version.json");
        assertThat(im.files().get("coder/patterns.json").stat()).isEqualTo(recorded);
    }

    @Test
    void anEditThatKeepsSizeAndModificationTimeIsDetectedByDefault() throws IOException {
        assumeStatCache();
        FileTime old = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Path sneaky = root.resolve("global/index.json");
        Files.setLastModifiedTime(sneaky, old);
        fileClockPastTree();
        backups.createFull("");
        clock.advance(Duration.ofMinutes(1));

        String text = Files.readString(sneaky);
        Files.writeString(sneaky, text.replace("1.0.0", "9.9.9"));
        Files.setLastModifiedTime(sneaky, old);
        assertThat(Files.size(sneaky)).isEqualTo(text.length());

        BackupInfo incr = backups.createIncremental("");
        Manifest im = manifest(incr);
        assertThat(im.ownFiles().keySet()).containsExactly("global/index.json");
        assertThat(im.detection().hashed()).isEqualTo(1);
        assertThat(backups.readFile(incr.id(), "global/index.json").orElseThrow())
                .isEqualTo(text.replace("1.0.0", "9.9.9").getBytes(StandardCharsets.UTF_8));
        // the weaker opt-in rule misses exactly this edit
        BackupEngine trusting = engine(BackupConfig.defaults().toBuilder().trustFileTimes(true).build(),
                ChangeDetector.StatSource.system());
        Files.writeString(sneaky, text.replace("1.0.0", "8.8.8"));
        Files.setLastModifiedTime(sneaky, old);
        clock.advance(Duration.ofMinutes(1));
        assertThat(manifest(trusting.createIncremental("")).ownFiles()).isEmpty();
    }

    @Test
    void aFileReplacedByRenameWithTheSameSizeAndTimeIsDetected() throws IOException {
        assumeStatCache();
        Path target = root.resolve("coder/patterns.json");
        byte[] before = Files.readAllBytes(target);
        fileClockPastTree();
        backups.createFull("");
        clock.advance(Duration.ofMinutes(1));

        byte[] after = before.clone();
        int i = new String(before, StandardCharsets.UTF_8).indexOf("p0");
        after[i + 1] = '9'; // same length, other id
        Path replacement = target.resolveSibling("patterns.json.new");
        Files.write(replacement, after);
        Files.setLastModifiedTime(replacement, Files.getLastModifiedTime(target));
        long oldInode = ChangeDetector.StatSource.system().stat(target).inode();
        Files.move(replacement, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(ChangeDetector.StatSource.system().stat(target).inode()).isNotEqualTo(oldInode);

        BackupInfo incr = backups.createIncremental("");
        assertThat(manifest(incr).ownFiles().keySet()).containsExactly("coder/patterns.json");
        assertThat(backups.readFile(incr.id(), "coder/patterns.json").orElseThrow()).isEqualTo(after);
    }

    @Test
    void aTamperedStatCacheInADamagedManifestIsNeverUsed() throws IOException {
        assumeStatCache();
        fileClockPastTree();
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Path file = root.resolve("coder/patterns.json");
        byte[] original = Files.readAllBytes(file);
        byte[] edited = new String(original, StandardCharsets.UTF_8).replace("p0", "q0")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(file, edited);
        // make the manifest claim the edited file's stat tuple for the old hash (without its checksum)
        ChangeDetector.FileStat now = ChangeDetector.StatSource.system().stat(file);
        ChangeDetector.FileStat old = manifest(full).files().get("coder/patterns.json").stat();
        Path mf = full.path().resolve(Manifest.FILE_NAME);
        String text = Files.readString(mf);
        String forged = text.replace("\"ctime_ns\":" + old.ctimeNanos() + ",\"ino\":" + old.inode(),
                "\"ctime_ns\":" + now.ctimeNanos() + ",\"ino\":" + now.inode());
        assertThat(forged).isNotEqualTo(text);
        Files.writeString(mf, forged);

        BackupInfo next = backups.createIncremental("");

        assertThat(backups.find(full.id()).orElseThrow().complete()).isFalse();
        assertThat(next.type()).isEqualTo(BackupType.FULL); // no complete backup to build on
        assertThat(next.verified()).isTrue();
        Manifest nm = manifest(next);
        assertThat(nm.detection().reused()).isZero();
        assertThat(nm.detection().hashed()).isEqualTo(FILES);
        assertThat(backups.readFile(next.id(), "coder/patterns.json").orElseThrow()).isEqualTo(edited);
    }

    @Test
    void rehashAllReadsEveryFileAndStillRecordsStats() throws IOException {
        assumeStatCache();
        fileClockPastTree();
        backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        BackupEngine paranoid = engine(BackupConfig.defaults().toBuilder().rehashAll(true).build(),
                ChangeDetector.StatSource.system());

        Manifest m = manifest(paranoid.createIncremental(""));

        assertThat(m.detection().mode()).isEqualTo(ChangeDetector.Mode.REHASH_ALL);
        assertThat(m.detection().hashed()).isEqualTo(FILES);
        assertThat(m.detection().reused()).isZero();
        assertThat(m.files().values()).allSatisfy(e -> assertThat(e.stat()).isNotNull());
        assertThat(m.statClock()).isNotNull();
        assertThatThrownBy(() -> BackupConfig.defaults().toBuilder().rehashAll(true).trustFileTimes(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rehashAll");
    }

    // ------------------------------------------------------------ simulated file systems

    /**
     * A file system with a coarse clock, driven by the test: each file's stat tuple is what the test
     * says, whatever the bytes on disk (so an edit in the same clock tick is invisible in the stats).
     */
    static final class CoarseStats implements ChangeDetector.StatSource {
        static final long TICK = 10_000_000L; // 10 ms
        final Map<Path, ChangeDetector.FileStat> stats = new HashMap<>();
        long now = 1_780_000_000_120_000_000L; // a tick boundary, not a whole second
        boolean unix = true;
        long inodes = 100;

        /** Records every file of the tree as written at the current tick. */
        void touchAll(Path root) throws IOException {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    touch(p);
                }
            }
        }

        void touch(Path p) throws IOException {
            ChangeDetector.FileStat old = stats.get(p);
            stats.put(p, new ChangeDetector.FileStat(Files.size(p), now, now, old == null ? inodes++ : old.inode(), 7));
        }

        @Override
        public ChangeDetector.@Nullable FileStat stat(Path file) throws IOException {
            if (!unix) {
                return null;
            }
            ChangeDetector.FileStat s = stats.get(file);
            if (s == null) {
                throw new NoSuchFileException(file.toString());
            }
            return s;
        }

        @Override
        public ChangeDetector.@Nullable FileStat probe(Path dir) {
            return unix ? new ChangeDetector.FileStat(0, now, now, 1, 7) : null;
        }
    }

    @Test
    void aRacilyCleanRecordIsNotTrustedButAnOlderOneIs() throws IOException {
        CoarseStats fs = new CoarseStats();
        fs.touchAll(root);
        Path racy = root.resolve("coder/patterns.json");
        Path older = root.resolve("reviewer/patterns.json");
        fs.now += CoarseStats.TICK;
        fs.touch(racy); // written in the same tick as the backup below reads it
        BackupEngine engine = engine(BackupConfig.defaults(), fs);
        BackupInfo full = engine.createFull("");
        assertThat(manifest(full).statClock().nanos()).isEqualTo(fs.now);

        // same tick, same size: the stats cannot show these edits
        Files.write(racy, new String(Files.readAllBytes(racy), StandardCharsets.UTF_8).replace("p0", "q0")
                .getBytes(StandardCharsets.UTF_8));
        Files.write(older, new String(Files.readAllBytes(older), StandardCharsets.UTF_8).replace("r1", "s1")
                .getBytes(StandardCharsets.UTF_8));
        fs.now += CoarseStats.TICK;
        clock.advance(Duration.ofMinutes(1));
        Manifest m = manifest(engine.createIncremental(""));

        // the racily clean record is re-read and the edit found; the record from an earlier tick is
        // trusted, which is what makes the cache fast (on a real file system that edit moves the ctime)
        assertThat(m.ownFiles().keySet()).containsExactly("coder/patterns.json");
        assertThat(m.detection().hashed()).isEqualTo(1);
        assertThat(m.detection().reused()).isEqualTo(FILES - 1);

        // re-read in a later tick, the record is now trusted
        clock.advance(Duration.ofMinutes(1));
        fs.now += CoarseStats.TICK;
        Manifest again = manifest(engine.createIncremental(""));
        assertThat(again.detection().reused()).isEqualTo(FILES);
    }

    @Test
    void wholeSecondTimestampsOrNoUnixAttributesMeanEveryFileIsRead() throws IOException {
        CoarseStats fs = new CoarseStats();
        fs.now = 1_780_000_000_000_000_000L; // whole seconds: a coarse file system
        fs.touchAll(root);
        fs.now += 2_000_000_000L;
        BackupEngine engine = engine(BackupConfig.defaults(), fs);
        engine.createFull("");
        fs.now += 2_000_000_000L;
        clock.advance(Duration.ofMinutes(1));
        Manifest coarse = manifest(engine.createIncremental(""));
        assertThat(coarse.detection().mode()).isEqualTo(ChangeDetector.Mode.REHASH_ALL);
        assertThat(coarse.detection().reason()).contains("whole seconds");
        assertThat(coarse.detection().hashed()).isEqualTo(FILES);
        assertThat(coarse.statClock()).isNull();

        fs.unix = false;
        clock.advance(Duration.ofMinutes(1));
        Manifest plain = manifest(engine.createIncremental(""));
        assertThat(plain.detection().reason()).contains("unix attributes");
        assertThat(plain.detection().hashed()).isEqualTo(FILES);
        assertThat(plain.files().values()).allSatisfy(e -> assertThat(e.stat()).isNull());
    }

    @Test
    void aFileOnAnotherDeviceThanTheClockIsAlwaysRead() throws IOException {
        CoarseStats fs = new CoarseStats();
        fs.touchAll(root);
        Path mounted = root.resolve("reviewer/patterns.json");
        ChangeDetector.FileStat s = fs.stats.get(mounted);
        fs.stats.put(mounted, new ChangeDetector.FileStat(s.size(), s.mtimeNanos(), s.ctimeNanos(), s.inode(), 8));
        fs.now += CoarseStats.TICK;
        BackupEngine engine = engine(BackupConfig.defaults(), fs);
        engine.createFull("");
        fs.now += CoarseStats.TICK;
        clock.advance(Duration.ofMinutes(1));

        Manifest m = manifest(engine.createIncremental(""));

        assertThat(m.detection().hashed()).isEqualTo(1);
        assertThat(m.detection().reused()).isEqualTo(FILES - 1);
    }

    // ------------------------------------------------------------ verification after a backup

    @Test
    void verifyAfterAnIncrementalChecksWhatItWroteAndThatReferencedPayloadsAreStillThere() throws IOException {
        BackupInfo full = backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");
        // a same-size change to a payload of the verified full backup: not re-read after the next
        // incremental (it was checked when written), but found by the explicit verify
        Path payload = full.path().resolve("coder/patterns.json.gz");
        byte[] b = Files.readAllBytes(payload);
        b[b.length / 2] ^= 0x01;
        Files.write(payload, b);

        BackupInfo incr = backups.createIncremental("");

        assertThat(incr.verified()).isTrue();
        assertThat(backups.verify(incr.id(), false).problems()).anySatisfy(p -> assertThat(p)
                .contains("coder/patterns.json"));

        // a referenced payload that is gone or truncated is noticed right away
        Files.write(payload, java.util.Arrays.copyOf(b, b.length - 1));
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> backups.createIncremental("")).isInstanceOf(BackupException.class)
                .hasMessageContaining("coder/patterns.json").hasMessageContaining("does not verify");
    }

    @Test
    void verifyAfterBackupRereadsPayloadsOfABackupThatWasNeverVerified() throws IOException {
        BackupEngine unverified = engine(BackupConfig.defaults().toBuilder().verifyAfterBackup(false).build(),
                ChangeDetector.StatSource.system());
        BackupInfo full = unverified.createFull("");
        assertThat(full.verified()).isFalse();
        Path payload = full.path().resolve("coder/patterns.json.gz");
        byte[] b = Files.readAllBytes(payload);
        b[b.length / 2] ^= 0x01;
        Files.write(payload, b);
        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> backups.createIncremental("")).isInstanceOf(BackupException.class)
                .hasMessageContaining("coder/patterns.json");
    }

    // ------------------------------------------------------------ Loom's registry

    @Test
    void everyRegistryEntryHasExactlyLoomsFieldsInLoomsOrder() throws IOException {
        backups.createFull("");
        clock.advance(Duration.ofMinutes(1));
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");
        backups.createIncremental("");
        clock.advance(Duration.ofMinutes(1));
        backups.createIncremental("");

        JsonNode registry = Json.MAPPER.readTree(tmp.resolve("memory-backup/backup_metadata.json").toFile());
        List<String> top = new ArrayList<>();
        registry.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("version", "backups", "aml");
        assertThat(registry.path("backups")).hasSize(3);
        for (JsonNode entry : registry.path("backups")) {
            List<String> fields = new ArrayList<>();
            entry.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("backup_id", "backup_type", "timestamp", "source_path", "backup_path",
                    "agents", "total_size_bytes", "file_count", "checksums", "parent_backup_id", "compressed",
                    "encrypted");
        }
        // the stat cache lives in the manifests only
        assertThat(Files.readString(tmp.resolve("memory-backup/backup_metadata.json"))).doesNotContain("ctime");
    }
}
