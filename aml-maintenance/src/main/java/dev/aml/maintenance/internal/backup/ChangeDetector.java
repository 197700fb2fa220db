package dev.aml.maintenance.internal.backup;

import dev.aml.maintenance.BackupConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Decides, file by file, whether a backup must read and hash a file or may reuse the SHA-256 its
 * parent backup recorded: a git-style <em>stat cache</em> that is safe by default.
 *
 * <h2>Why it is safe</h2>
 * When a backup hashes a file it records, beside the SHA-256, the file's stat tuple: size,
 * modification time (mtime), inode change time (ctime), inode and device (all from the same
 * {@code lstat}, with nanoseconds). The next backup reuses the recorded hash only when the tuple is
 * identical. Size and mtime alone are not enough: any tool can put the mtime back
 * ({@code touch -d}, {@code Files.setLastModifiedTime}). The ctime cannot be set by user tools: the
 * kernel sets it to "now" on every write, truncate, rename, chmod and on every mtime change, so an
 * edit that forges size and mtime still moves the ctime. A replaced file (written beside and renamed
 * over, as atomic writers do) has a new inode.
 *
 * <p>That leaves git's <em>racily clean</em> case: on a file system whose timestamps have a coarse
 * tick, a file edited in the same tick as it was read keeps the same mtime and ctime. So every
 * backup first reads the file system's own clock (the ctime of a probe file it creates and removes
 * in the memory root, before any file is read) and stores it in its manifest as the <em>stat
 * clock</em>. A recorded tuple is trusted only if its mtime and ctime are strictly earlier than
 * that clock: any change made after the read then gets a time at or after the clock, which cannot
 * equal the recorded one. Files on another device than the probe (their clock might differ) are
 * always re-read.
 *
 * <p>Where the stat cache cannot be trusted, every file is read and hashed (and the reason is
 * recorded in the manifest): without {@code unix:} attributes (no ctime or inode, e.g. Windows), on
 * a file system whose probe shows whole-second timestamps (coarse: FAT, HFS+, some network file
 * systems), when the probe cannot be written, and with {@link BackupConfig#rehashAll()}. The cache
 * lives in the manifest, which carries its own SHA-256: a damaged manifest makes its backup
 * incomplete, so its stats are never used. Stats are recorded in every mode, so the next default
 * backup can use them.
 *
 * <p>{@link BackupConfig#trustFileTimes()} keeps its documented, weaker rule (size and mtime equal
 * and the mtime more than 2 s older than the previous backup's start).
 */
public final class ChangeDetector {

    /** Prefix of the probe file's name in the memory root (hidden, {@code .tmp}: never backed up). */
    static final String PROBE_PREFIX = ".aml-stat-probe-";

    /** How a backup detected changes. */
    public enum Mode {
        /** stat tuple + racily-clean rule; everything else is hashed (the default) */
        STAT_CACHE("stat-cache"),
        /** every file read and hashed */
        REHASH_ALL("rehash-all"),
        /** size + mtime trusted ({@link BackupConfig#trustFileTimes()}) */
        TRUST_FILE_TIMES("trust-file-times");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        /** @return the name written into manifests */
        public String label() {
            return label;
        }

        /**
         * @param label a name from a manifest
         * @return the mode, or {@code null} if unknown
         */
        public static @Nullable Mode byLabel(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * A file's stat tuple.
     *
     * @param size size in bytes
     * @param mtimeNanos modification time, nanoseconds since the epoch
     * @param ctimeNanos inode change time, nanoseconds since the epoch
     * @param inode inode number
     * @param device device id
     */
    public record FileStat(long size, long mtimeNanos, long ctimeNanos, long inode, long device) {
    }

    /**
     * The file system's clock when a backup started reading: stats it records are trusted only
     * when their mtime and ctime are strictly earlier and their device is the same.
     *
     * @param nanos the probe's ctime, nanoseconds since the epoch
     * @param device the probe's device
     */
    public record StatClock(long nanos, long device) {
    }

    /**
     * How one backup detected changes, recorded in its manifest.
     *
     * @param mode the mode used
     * @param reason why, in a few words (e.g. why the stat cache was not used)
     * @param hashed files read and hashed
     * @param reused files whose recorded hash was reused without reading them
     */
    public record Summary(Mode mode, String reason, long hashed, long reused) {
        /** Rejects nulls. */
        public Summary {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Where stat tuples come from; tests inject a file system with a coarse clock. */
    public interface StatSource {
        /**
         * @param file a regular file
         * @return its stat tuple (not following links), or {@code null} where the file system has no
         *     {@code unix:} attributes
         * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} when gone)
         */
        @Nullable FileStat stat(Path file) throws IOException;

        /**
         * Reads the file system's clock in {@code dir}: creates a new file there, reads its stat,
         * removes it.
         *
         * @param dir a writable folder
         * @return the new file's stat tuple, or {@code null} without {@code unix:} attributes
         * @throws IOException if the probe cannot be created
         */
        @Nullable FileStat probe(Path dir) throws IOException;

        /** @return the platform's file system */
        static StatSource system() {
            return SystemStats.INSTANCE;
        }
    }

    /**
     * What the detector saw of one file before it was (perhaps) read.
     *
     * @param unchanged whether the recorded hash may be reused without reading the file
     * @param mtimeMillis the modification time in milliseconds
     * @param size the size in bytes
     * @param stat the stat tuple, {@code null} where unavailable
     */
    public record Look(boolean unchanged, long mtimeMillis, long size, @Nullable FileStat stat) {
    }

    private final Mode mode;
    private final String reason;
    private final StatSource source;
    private final @Nullable StatClock clock;
    private final @Nullable StatClock parentClock;
    private final @Nullable Instant parentStart;
    private long hashed;
    private long reused;

    private ChangeDetector(Mode mode, String reason, StatSource source, @Nullable StatClock clock,
            @Nullable StatClock parentClock, @Nullable Instant parentStart) {
        this.mode = mode;
        this.reason = reason;
        this.source = source;
        this.clock = clock;
        this.parentClock = parentClock;
        this.parentStart = parentStart;
    }

    /**
     * Chooses the mode for one backup and reads the file system's clock. Call before reading any
     * file of the tree.
     *
     * @param config the backup settings ({@code rehashAll}, {@code trustFileTimes})
     * @param parent the backup this one builds on, or {@code null} for a full backup
     * @param memoryRoot where the probe is made
     * @param source the stat source
     * @return the detector
     */
    public static ChangeDetector start(BackupConfig config, @Nullable Manifest parent, Path memoryRoot,
            StatSource source) {
        StatClock clock = null;
        String problem = null;
        try {
            FileStat probe = source.probe(memoryRoot);
            if (probe == null) {
                problem = "the file system has no unix attributes (ctime, inode)";
            } else if (probe.mtimeNanos() % 1_000_000_000L == 0 && probe.ctimeNanos() % 1_000_000_000L == 0) {
                problem = "the file system's timestamps are whole seconds (too coarse)";
            } else {
                clock = new StatClock(probe.ctimeNanos(), probe.device());
            }
        } catch (IOException | UnsupportedOperationException e) {
            problem = "the file system's clock cannot be read in " + memoryRoot + " (" + e.getMessage() + ")";
        }
        StatClock parentClock = parent == null ? null : parent.statClock();
        Instant parentStart = parent == null ? null : parent.startedAt();
        if (config.rehashAll()) {
            return new ChangeDetector(Mode.REHASH_ALL, "BackupConfig.rehashAll is set", source, clock, null, null);
        }
        if (config.trustFileTimes()) {
            return new ChangeDetector(Mode.TRUST_FILE_TIMES, "BackupConfig.trustFileTimes is set", source, clock, null,
                    parentStart);
        }
        if (problem != null) {
            return new ChangeDetector(Mode.REHASH_ALL, problem, source, null, null, null);
        }
        String why = parent == null ? "no previous backup to compare with"
                : parentClock == null ? "the previous backup " + parent.id() + " recorded no file stats"
                : "unchanged stat tuples reused from " + parent.id();
        return new ChangeDetector(Mode.STAT_CACHE, why, source, clock, parentClock, null);
    }

    /**
     * A detector for a backup of files rendered from a store's items (a store without a memory root):
     * they have no stat tuple, so every file is read and compared by SHA-256.
     *
     * @return the detector, in {@link Mode#REHASH_ALL}
     */
    public static ChangeDetector forRenderedFiles() {
        return new ChangeDetector(Mode.REHASH_ALL, "the files are rendered from the store's items (no file stats)",
                SystemStats.INSTANCE, null, null, null);
    }

    /** Counts a file that was read and hashed without a stat tuple (a rendered file). */
    public void countHashed() {
        hashed++;
    }

    /** @return the mode of this backup */
    public Mode mode() {
        return mode;
    }

    /** @return the clock to record in this backup's manifest, {@code null} when its stats must not be trusted */
    public @Nullable StatClock clock() {
        return clock;
    }

    /** @return counts so far */
    public Summary summary() {
        return new Summary(mode, reason, hashed, reused);
    }

    /**
     * Looks at a file before reading it.
     *
     * @param file the file
     * @param previous its entry in the parent backup, if any
     * @return whether its recorded hash may be reused, and its current stat
     * @throws IOException if the file cannot be stat'ed ({@link java.nio.file.NoSuchFileException} when gone)
     */
    public Look look(Path file, Manifest.@Nullable FileEntry previous) throws IOException {
        FileStat stat = source.stat(file);
        long size;
        long mtimeMillis;
        if (stat != null) {
            size = stat.size();
            mtimeMillis = Math.floorDiv(stat.mtimeNanos(), 1_000_000L);
        } else {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            size = a.size();
            mtimeMillis = a.lastModifiedTime().toMillis();
        }
        boolean unchanged = previous != null && switch (mode) {
            case REHASH_ALL -> false;
            case TRUST_FILE_TIMES -> parentStart != null && previous.mtimeMillis() == mtimeMillis
                    && previous.size() == size && mtimeMillis < parentStart.toEpochMilli() - 2_000;
            case STAT_CACHE -> stat != null && trusted(previous.stat()) && stat.equals(previous.stat());
        };
        if (unchanged) {
            reused++;
        }
        return new Look(unchanged, mtimeMillis, size, stat);
    }

    private boolean trusted(@Nullable FileStat recorded) {
        StatClock pc = parentClock;
        StatClock now = clock;
        return recorded != null && pc != null && now != null && recorded.device() == pc.device()
                && recorded.device() == now.device() && recorded.mtimeNanos() < pc.nanos()
                && recorded.ctimeNanos() < pc.nanos();
    }

    /**
     * Called after a file was read: checks that it did not change while it was read.
     *
     * @param file the file
     * @param before what {@link #look} saw
     * @param bytesRead how many bytes were read
     * @return the stat tuple to record with the new hash, or {@code null} when it is unknown or the
     *     file changed during the read (the next backup then reads it again)
     */
    public @Nullable FileStat afterRead(Path file, Look before, long bytesRead) {
        hashed++;
        FileStat b = before.stat();
        if (b == null || b.size() != bytesRead) {
            return null;
        }
        try {
            FileStat after = source.stat(file);
            return b.equals(after) ? b : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The platform's file system, through {@code unix:} attributes when it has them. */
    private enum SystemStats implements StatSource {
        INSTANCE;

        private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

        @Override
        public @Nullable FileStat stat(Path file) throws IOException {
            if (!UNIX) {
                return null;
            }
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev",
                    LinkOption.NOFOLLOW_LINKS);
            return new FileStat((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")), (Long) a.get("ino"), (Long) a.get("dev"));
        }

        @Override
        public @Nullable FileStat probe(Path dir) throws IOException {
            if (!UNIX) {
                return null;
            }
            removeStaleProbes(dir);
            Path probe = dir.resolve(PROBE_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            Files.newByteChannel(probe, java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                    .close();
            try {
                return stat(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
        }

        /** Probes left by a process killed between creating and removing one. */
        private static void removeStaleProbes(Path dir) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PROBE_PREFIX + "*.tmp")) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // harmless: a stale probe is a hidden temp file that nothing backs up or reads
            }
        }

        private static long nanos(FileTime t) {
            Instant i = t.toInstant();
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        }
    }
}
