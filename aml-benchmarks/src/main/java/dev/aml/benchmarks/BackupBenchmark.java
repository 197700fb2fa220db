package dev.aml.benchmarks;

import dev.aml.loom.CompressionCodec;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.Backups;
import dev.aml.maintenance.MemoryManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Backups of a Loom tree of {@code patterns} patterns spread over 100 agents (so 1 % of the files
 * is one agent's {@code patterns.json}).
 *
 * <ul>
 *   <li>{@code copyTree} (baseline): {@code Files.copy} of every file into a new folder;</li>
 *   <li>{@code rawGzip}, {@code rawLz4} (baselines): read every file and write it through the codec's
 *       stream into a new folder, with no hashing, manifest or registry;</li>
 *   <li>{@code fullLz4}, {@code fullGzip}: {@code Backups.createFull} with verification off (what
 *       the baselines do), {@code fullLz4Verified} with the default verification;</li>
 *   <li>{@code incremental1pct}: one agent's file (1 %) changed since the full backup, default change
 *       detection (the stat cache: a file is read and hashed only when its size, mtime, ctime, inode
 *       or device differ from those recorded with its hash, or the record is racily clean);
 *       {@code incremental1pctRehashAll} reads and hashes every file ({@code BackupConfig.rehashAll},
 *       the default before the stat cache); {@code incremental1pctTrustTimes} skips files whose size
 *       and modification time are unchanged ({@code BackupConfig.trustFileTimes});
 *       {@code incremental1pctVerified} is {@code incremental1pct} with the default verification
 *       after the backup (to compare with {@code fullLz4Verified});</li>
 *   <li>{@code verify}: decompress and hash every file of the full LZ4 backup;</li>
 *   <li>{@code restore}: restore the full LZ4 backup into a new folder.</li>
 * </ul>
 * Every backup or copy an invocation makes is deleted after it, outside the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BackupBenchmark {

    static final int AGENTS = 100;

    @Param({"100000"})
    public int patterns;

    Path dir;
    Path root;
    MemoryManager aml;
    Backups lz4;
    Backups lz4Verified;
    Backups gzip;
    Backups lz4TrustTimes;
    Backups lz4RehashAll;
    BackupInfo baseFull;
    BackupInfo baseFullVerified;
    List<Path> files;
    Path scratch;
    String createdId;
    Backups createdIn;
    int round;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("aml-backup-bench");
        root = dir.resolve("memory");
        int perAgent = patterns / AGENTS;
        for (int a = 0; a < AGENTS; a++) {
            Path agent = Files.createDirectories(root.resolve("agent" + a));
            Files.write(agent.resolve("patterns.json"), LoomFixtures.patternsJson(perAgent, a));
        }
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        // files older than the base backup, as in a tree that has been running for a while
        java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000L);
        for (Path f : files) {
            Files.setLastModifiedTime(f, hourAgo);
        }
        aml = MemoryManager.open(root);
        BackupConfig off = BackupConfig.defaults().toBuilder().verifyAfterBackup(false).build();
        lz4 = aml.backups(off.toBuilder().codec("lz4").backupRoot(dir.resolve("b-lz4")).build());
        gzip = aml.backups(off.toBuilder().backupRoot(dir.resolve("b-gzip")).build());
        lz4Verified = aml.backups(BackupConfig.defaults().toBuilder().codec("lz4")
                .backupRoot(dir.resolve("b-lz4v")).build());
        lz4TrustTimes = aml.backups(off.toBuilder().codec("lz4").backupRoot(dir.resolve("b-lz4"))
                .trustFileTimes(true).build());
        lz4RehashAll = aml.backups(off.toBuilder().codec("lz4").backupRoot(dir.resolve("b-lz4"))
                .rehashAll(true).build());
        baseFull = lz4.createFull("benchmark base");
        baseFullVerified = lz4Verified.createFull("benchmark base");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        aml.close();
        delete(dir);
    }

    @Setup(Level.Invocation)
    public void beforeEach() throws IOException {
        scratch = dir.resolve("scratch-" + round++);
        createdId = null;
        createdIn = null;
        // 1 % of the tree changes: one agent's patterns.json gets a new version
        Path changed = root.resolve("agent0").resolve("patterns.json");
        Files.write(changed, LoomFixtures.patternsJson(patterns / AGENTS, 1_000_000L + round));
    }

    @TearDown(Level.Invocation)
    public void afterEach() {
        delete(scratch);
        if (createdId != null) {
            createdIn.delete(createdId);
        }
    }

    @Benchmark
    public long copyTree() throws IOException {
        long n = 0;
        for (Path f : files) {
            Path out = scratch.resolve(root.relativize(f).toString());
            Files.createDirectories(out.getParent());
            n += Files.copy(f, out) == null ? 0 : 1;
        }
        return n;
    }

    @Benchmark
    public long rawGzip() throws IOException {
        return raw(CompressionCodec.gzip(9));
    }

    @Benchmark
    public long rawLz4() throws IOException {
        return raw(CompressionCodec.lz4());
    }

    long raw(CompressionCodec codec) throws IOException {
        long n = 0;
        for (Path f : files) {
            Path out = scratch.resolve(root.relativize(f) + codec.fileSuffix());
            Files.createDirectories(out.getParent());
            try (OutputStream o = codec.compressing(Files.newOutputStream(out))) {
                n += Files.copy(f, o);
            }
        }
        return n;
    }

    @Benchmark
    public BackupInfo fullLz4() {
        return created(lz4, lz4.createFull(""));
    }

    @Benchmark
    public BackupInfo fullLz4Verified() {
        return created(lz4Verified, lz4Verified.createFull(""));
    }

    @Benchmark
    public BackupInfo fullGzip() {
        return created(gzip, gzip.createFull(""));
    }

    @Benchmark
    public BackupInfo incremental1pct() {
        BackupInfo incr = lz4.createIncremental("");
        if (incr.fileCount() != 1 || !baseFull.id().equals(incr.parentId())) {
            throw new IllegalStateException("expected 1 changed file over " + baseFull.id() + ", got "
                    + incr.fileCount() + " over " + incr.parentId());
        }
        return created(lz4, incr);
    }

    @Benchmark
    public BackupInfo incremental1pctRehashAll() {
        BackupInfo incr = lz4RehashAll.createIncremental("");
        if (incr.fileCount() != 1 || !baseFull.id().equals(incr.parentId())) {
            throw new IllegalStateException("expected 1 changed file over " + baseFull.id() + ", got "
                    + incr.fileCount() + " over " + incr.parentId());
        }
        return created(lz4RehashAll, incr);
    }

    @Benchmark
    public BackupInfo incremental1pctVerified() {
        BackupInfo incr = lz4Verified.createIncremental("");
        if (incr.fileCount() != 1 || !baseFullVerified.id().equals(incr.parentId()) || !incr.verified()) {
            throw new IllegalStateException("expected 1 changed file over " + baseFullVerified.id()
                    + ", verified; got " + incr.fileCount() + " over " + incr.parentId() + ", verified "
                    + incr.verified());
        }
        return created(lz4Verified, incr);
    }

    @Benchmark
    public BackupInfo incremental1pctTrustTimes() {
        BackupInfo incr = lz4TrustTimes.createIncremental("");
        if (incr.fileCount() != 1) {
            throw new IllegalStateException("expected 1 changed file, got " + incr.fileCount());
        }
        return created(lz4TrustTimes, incr);
    }

    @Benchmark
    public boolean verify() {
        return lz4.verify(baseFull.id(), false).ok();
    }

    @Benchmark
    public long restore() {
        return lz4.restore(baseFull.id(), scratch).bytesRestored();
    }

    private BackupInfo created(Backups in, BackupInfo info) {
        createdIn = in;
        createdId = info.id();
        return info;
    }

    static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path x : all) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
