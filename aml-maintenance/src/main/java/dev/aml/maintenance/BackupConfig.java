package dev.aml.maintenance;

import dev.aml.loom.CompressionCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How backups are taken, kept and checked. Immutable; start from {@link #defaults()} and change
 * what you need with {@link #toBuilder()}.
 *
 * <p>The defaults follow Loom's {@code BackupConfig} (retention 30 days, 100 backups, gzip level 9,
 * incremental backups on, verification after every backup), with two differences that fix defects
 * of the reference: {@code maxBackups} is enforced, and incremental backups are verified too.
 * Verification after a backup checks what that backup wrote (every payload decompressed and
 * hashed) and that every file it references is still held, unchanged, by a complete backup of its
 * chain; {@code Backups.verify(id)} re-reads the whole chain.
 *
 * @param backupRoot where backups live; {@code null} means the sibling {@code memory-backup/} of the
 *     memory root ({@link #resolveRoot(Path)}). Required for a store without a memory root
 *     (PostgreSQL, in memory), which has no such sibling
 * @param retentionDays backups older than this many days may be rotated away (0 = only the newest
 *     chain is kept by age), at least 0
 * @param maxBackups at most this many backups are kept by rotation (more only when kept
 *     incrementals depend on older ones), at least 1
 * @param codec payload codec name: {@code gzip} (Loom-compatible), {@code lz4} (fast) or {@code none}
 * @param compressionLevel gzip level 1..9 (ignored by the other codecs)
 * @param incrementalEnabled whether {@code auto()} may take incremental backups
 * @param verifyAfterBackup whether every new backup (full and incremental) is re-read and checked
 * @param maxChainLength {@code auto()} takes a full backup when the newest chain already has this
 *     many incrementals, at least 1
 * @param fullBackupMaxAge {@code auto()} takes a full backup when the newest full one is older, positive
 * @param trustFileTimes whether an incremental backup may skip reading a file whose size and
 *     modification time equal those recorded by the previous backup and whose modification time is
 *     more than 2 s older than that backup's start. Off by default, and no longer needed where the
 *     default stat cache works (POSIX file systems with sub-second timestamps): that cache is as
 *     fast and also checks the ctime, inode and device, so it catches edits that put size and
 *     modification time back ({@code touch -d}), which this weaker rule misses. Kept for file
 *     systems without {@code unix:} attributes (Windows), where the default reads every file
 * @param rehashAll whether every backup reads and hashes every file, ignoring the stat cache
 *     (paranoid mode: for file systems whose ctime you do not trust, or after the system clock was
 *     set back by more than the time since the last backup). Off by
 *     default: a file is re-read only when its stat tuple (size, mtime, ctime, inode, device)
 *     differs from the one recorded with its hash, or when that record is racily clean (not older
 *     than the recording backup's clock tick); see the README "Backups and migration"
 * @param keepLast rotation keeps the {@code keepLast} newest backups whatever their age, as restic's and
 *     borg's {@code --keep-last}; 0 (default) turns the rule off
 * @param keepDaily rotation keeps the newest backup of each of the last {@code keepDaily} days that
 *     have backups ({@code --keep-daily}; days in the clock's time zone); 0 (default) turns it off
 * @param keepWeekly the same per ISO week ({@code --keep-weekly}); 0 (default) turns it off
 * @param keepMonthly the same per calendar month ({@code --keep-monthly}); 0 (default) turns it off
 */
public record BackupConfig(@Nullable Path backupRoot, int retentionDays, int maxBackups, String codec,
        int compressionLevel, boolean incrementalEnabled, boolean verifyAfterBackup, int maxChainLength,
        Duration fullBackupMaxAge, boolean trustFileTimes, boolean rehashAll, int keepLast, int keepDaily,
        int keepWeekly, int keepMonthly) {

    /** Folder name of the default backup root, a sibling of the memory root. */
    public static final String DEFAULT_ROOT_NAME = "memory-backup";
    /** Default retention: 30 days (Loom). */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** Default maximum number of backups kept: 100 (Loom; enforced here). */
    public static final int DEFAULT_MAX_BACKUPS = 100;
    /** Default codec: gzip, so Loom's tool can restore AML backups. */
    public static final String DEFAULT_CODEC = "gzip";
    /** Default gzip level: 9 (Loom). */
    public static final int DEFAULT_COMPRESSION_LEVEL = 9;
    /** Incremental backups are enabled by default (Loom). */
    public static final boolean DEFAULT_INCREMENTAL_ENABLED = true;
    /** Every backup is verified after it is written by default. */
    public static final boolean DEFAULT_VERIFY_AFTER_BACKUP = true;
    /** Default longest chain of incrementals before {@code auto()} takes a full backup: 7. */
    public static final int DEFAULT_MAX_CHAIN_LENGTH = 7;
    /** Default age of the newest full backup after which {@code auto()} takes a new one: 7 days. */
    public static final Duration DEFAULT_FULL_BACKUP_MAX_AGE = Duration.ofDays(7);
    /** Size and modification time alone are not trusted by default. */
    public static final boolean DEFAULT_TRUST_FILE_TIMES = false;
    /** By default a file whose stat tuple is unchanged (and not racily clean) is not re-read. */
    public static final boolean DEFAULT_REHASH_ALL = false;
    /** {@code keep_last}, {@code keep_daily}, {@code keep_weekly} and {@code keep_monthly} are off by default: 0. */
    public static final int DEFAULT_KEEP = 0;
    /** Largest accepted {@code keep_*} count. */
    public static final int MAX_KEEP = 100_000;

    private static final Set<String> CODECS = Set.of("gzip", "lz4", "none");
    private static final BackupConfig DEFAULTS = new BackupConfig(null, DEFAULT_RETENTION_DAYS, DEFAULT_MAX_BACKUPS,
            DEFAULT_CODEC, DEFAULT_COMPRESSION_LEVEL, DEFAULT_INCREMENTAL_ENABLED, DEFAULT_VERIFY_AFTER_BACKUP,
            DEFAULT_MAX_CHAIN_LENGTH, DEFAULT_FULL_BACKUP_MAX_AGE, DEFAULT_TRUST_FILE_TIMES, DEFAULT_REHASH_ALL,
            DEFAULT_KEEP, DEFAULT_KEEP, DEFAULT_KEEP, DEFAULT_KEEP);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field, the bad value and the allowed range
     */
    public BackupConfig {
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays must be >= 0, was " + retentionDays);
        }
        if (maxBackups < 1) {
            throw new IllegalArgumentException("maxBackups must be >= 1, was " + maxBackups);
        }
        Objects.requireNonNull(codec, "codec");
        codec = codec.toLowerCase(Locale.ROOT);
        if (!CODECS.contains(codec)) {
            throw new IllegalArgumentException("codec must be one of gzip, lz4, none, was '" + codec + "'");
        }
        if (compressionLevel < 1 || compressionLevel > 9) {
            throw new IllegalArgumentException("compressionLevel must be 1..9, was " + compressionLevel);
        }
        if (maxChainLength < 1) {
            throw new IllegalArgumentException("maxChainLength must be >= 1, was " + maxChainLength);
        }
        Objects.requireNonNull(fullBackupMaxAge, "fullBackupMaxAge");
        if (fullBackupMaxAge.isNegative() || fullBackupMaxAge.isZero()) {
            throw new IllegalArgumentException("fullBackupMaxAge must be positive, was " + fullBackupMaxAge);
        }
        if (rehashAll && trustFileTimes) {
            throw new IllegalArgumentException("rehashAll and trustFileTimes contradict each other (read every file"
                    + " vs. skip files by size and time); set only one");
        }
        keep("keepLast", keepLast);
        keep("keepDaily", keepDaily);
        keep("keepWeekly", keepWeekly);
        keep("keepMonthly", keepMonthly);
    }

    private static void keep(String field, int value) {
        if (value < 0 || value > MAX_KEEP) {
            throw new IllegalArgumentException(field + " must be in [0, " + MAX_KEEP + "] (0 turns the rule off), was "
                    + value);
        }
    }

    /** @return Loom's defaults (see the {@code DEFAULT_*} constants) */
    public static BackupConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** @return a builder starting from this config */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param memoryRoot the memory root
     * @return {@link #backupRoot()} if set, else {@code memoryRoot}'s sibling {@value #DEFAULT_ROOT_NAME}
     */
    public Path resolveRoot(Path memoryRoot) {
        if (backupRoot != null) {
            return backupRoot.toAbsolutePath().normalize();
        }
        Path abs = memoryRoot.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("The memory root " + abs + " has no parent folder for "
                    + DEFAULT_ROOT_NAME + "/; set BackupConfig.backupRoot");
        }
        return parent.resolve(DEFAULT_ROOT_NAME);
    }

    /** @return the codec that compresses payloads ({@link #codec()} at {@link #compressionLevel()}) */
    public CompressionCodec compressionCodec() {
        return switch (codec) {
            case "gzip" -> CompressionCodec.gzip(compressionLevel);
            case "lz4" -> CompressionCodec.lz4();
            default -> CompressionCodec.none();
        };
    }

    /**
     * Builds a {@link BackupConfig}. Each option may be set once; {@link #build()} validates.
     */
    public static final class Builder {
        private @Nullable Path backupRoot;
        private int retentionDays;
        private int maxBackups;
        private String codec;
        private int compressionLevel;
        private boolean incrementalEnabled;
        private boolean verifyAfterBackup;
        private int maxChainLength;
        private Duration fullBackupMaxAge;
        private boolean trustFileTimes;
        private boolean rehashAll;
        private int keepLast;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private final SetOnce set = new SetOnce();

        private Builder(BackupConfig from) {
            backupRoot = from.backupRoot;
            retentionDays = from.retentionDays;
            maxBackups = from.maxBackups;
            codec = from.codec;
            compressionLevel = from.compressionLevel;
            incrementalEnabled = from.incrementalEnabled;
            verifyAfterBackup = from.verifyAfterBackup;
            maxChainLength = from.maxChainLength;
            fullBackupMaxAge = from.fullBackupMaxAge;
            trustFileTimes = from.trustFileTimes;
            rehashAll = from.rehashAll;
            keepLast = from.keepLast;
            keepDaily = from.keepDaily;
            keepWeekly = from.keepWeekly;
            keepMonthly = from.keepMonthly;
        }

        private void once(String option, Object value) {
            set.set(option, value);
        }

        /**
         * @param root where backups live
         * @return this builder
         */
        public Builder backupRoot(Path root) {
            once("backupRoot", Objects.requireNonNull(root, "backupRoot"));
            this.backupRoot = root;
            return this;
        }

        /**
         * @param days retention in days, at least 0
         * @return this builder
         */
        public Builder retentionDays(int days) {
            once("retentionDays", days);
            this.retentionDays = days;
            return this;
        }

        /**
         * @param max most backups kept, at least 1
         * @return this builder
         */
        public Builder maxBackups(int max) {
            once("maxBackups", max);
            this.maxBackups = max;
            return this;
        }

        /**
         * @param name {@code gzip}, {@code lz4} or {@code none}
         * @return this builder
         */
        public Builder codec(String name) {
            once("codec", Objects.requireNonNull(name, "codec"));
            this.codec = name;
            return this;
        }

        /**
         * @param level gzip level 1..9
         * @return this builder
         */
        public Builder compressionLevel(int level) {
            once("compressionLevel", level);
            this.compressionLevel = level;
            return this;
        }

        /**
         * @param enabled whether {@code auto()} may take incrementals
         * @return this builder
         */
        public Builder incrementalEnabled(boolean enabled) {
            once("incrementalEnabled", enabled);
            this.incrementalEnabled = enabled;
            return this;
        }

        /**
         * @param verify whether every new backup is verified
         * @return this builder
         */
        public Builder verifyAfterBackup(boolean verify) {
            once("verifyAfterBackup", verify);
            this.verifyAfterBackup = verify;
            return this;
        }

        /**
         * @param max longest chain of incrementals before {@code auto()} takes a full backup
         * @return this builder
         */
        public Builder maxChainLength(int max) {
            once("maxChainLength", max);
            this.maxChainLength = max;
            return this;
        }

        /**
         * @param age age of the newest full backup after which {@code auto()} takes a new one
         * @return this builder
         */
        public Builder fullBackupMaxAge(Duration age) {
            once("fullBackupMaxAge", Objects.requireNonNull(age, "fullBackupMaxAge"));
            this.fullBackupMaxAge = age;
            return this;
        }

        /**
         * @param trust whether incrementals may skip files whose size and time are unchanged
         * @return this builder
         */
        public Builder trustFileTimes(boolean trust) {
            once("trustFileTimes", trust);
            this.trustFileTimes = trust;
            return this;
        }

        /**
         * @param rehash whether every backup reads and hashes every file (ignoring the stat cache)
         * @return this builder
         */
        public Builder rehashAll(boolean rehash) {
            once("rehashAll", rehash);
            this.rehashAll = rehash;
            return this;
        }

        /**
         * @param count keep this many newest backups whatever their age (0 = off)
         * @return this builder
         */
        public Builder keepLast(int count) {
            once("keepLast", count);
            this.keepLast = count;
            return this;
        }

        /**
         * @param count keep the newest backup of each of this many days that have backups (0 = off)
         * @return this builder
         */
        public Builder keepDaily(int count) {
            once("keepDaily", count);
            this.keepDaily = count;
            return this;
        }

        /**
         * @param count keep the newest backup of each of this many ISO weeks that have backups (0 = off)
         * @return this builder
         */
        public Builder keepWeekly(int count) {
            once("keepWeekly", count);
            this.keepWeekly = count;
            return this;
        }

        /**
         * @param count keep the newest backup of each of this many months that have backups (0 = off)
         * @return this builder
         */
        public Builder keepMonthly(int count) {
            once("keepMonthly", count);
            this.keepMonthly = count;
            return this;
        }

        /**
         * @return the config
         * @throws IllegalArgumentException if a value is out of range
         */
        public BackupConfig build() {
            return new BackupConfig(backupRoot, retentionDays, maxBackups, codec, compressionLevel,
                    incrementalEnabled, verifyAfterBackup, maxChainLength, fullBackupMaxAge, trustFileTimes,
                    rehashAll, keepLast, keepDaily, keepWeekly, keepMonthly);
        }
    }
}
