package dev.aml.store.internal;

import dev.aml.core.Durability;
import dev.aml.loom.CompressionCodec;
import dev.aml.loom.TimestampStyle;
import dev.aml.store.FileMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The resolved options of a {@link FileMemoryStore}: what its public {@code Builder} collected, with
 * every unset option replaced by its default and every value checked. The builder stays the public
 * face (set once, documented per option); this record is what the store, its checkpointer and its
 * loader read, so none of them deals with an unset option or repeats a default.
 *
 * @param durability when writes become durable
 * @param codec how item files are compressed at checkpoints
 * @param timestampStyle how timestamps are written
 * @param zone the zone of naive timestamps
 * @param readOnly whether the store takes no lock and writes nothing
 * @param lockTimeout how long to wait for another writer to release the tree
 * @param checkpointBytes journal size in bytes that triggers a background checkpoint
 * @param checkpointInterval time after which a background checkpoint runs when anything changed
 * @param clock the clock for checkpoint intervals, retry backoff and lock waits
 * @param fileOps the file-system steps of checkpoints and journal trims (tests inject faults)
 */
public record FileStoreOptions(Durability durability, CompressionCodec codec, TimestampStyle timestampStyle,
        ZoneId zone, boolean readOnly, Duration lockTimeout, long checkpointBytes, Duration checkpointInterval,
        Clock clock, FileOps fileOps) {

    /** Rejects nulls. */
    public FileStoreOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(timestampStyle, "timestampStyle");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(fileOps, "fileOps");
    }

    /**
     * Fills in the defaults of unset options and validates the result.
     *
     * @return the options the store opens with
     * @throws IllegalArgumentException if {@code lockTimeout} is negative, {@code checkpointBytes} is
     *     below 1024 or {@code checkpointInterval} is not positive
     */
    public static FileStoreOptions resolve(@Nullable Durability durability, @Nullable CompressionCodec codec,
            @Nullable TimestampStyle timestampStyle, @Nullable ZoneId zone, @Nullable Boolean readOnly,
            @Nullable Duration lockTimeout, @Nullable Long checkpointBytes, @Nullable Duration checkpointInterval,
            @Nullable Clock clock, @Nullable FileOps fileOps) {
        Duration wait = lockTimeout == null ? Duration.ZERO : lockTimeout;
        if (wait.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must not be negative, was " + wait);
        }
        long bytes = checkpointBytes == null ? FileMemoryStore.DEFAULT_CHECKPOINT_BYTES : checkpointBytes;
        if (bytes < 1024) {
            throw new IllegalArgumentException("checkpointBytes must be at least 1024, was " + bytes);
        }
        Duration interval = checkpointInterval == null ? FileMemoryStore.DEFAULT_CHECKPOINT_INTERVAL
                : checkpointInterval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpointInterval must be positive, was " + interval);
        }
        return new FileStoreOptions(durability == null ? Durability.BATCH : durability,
                codec == null ? CompressionCodec.none() : codec,
                timestampStyle == null ? TimestampStyle.UTC_Z : timestampStyle,
                zone == null ? ZoneId.systemDefault() : zone,
                readOnly != null && readOnly, wait, bytes, interval,
                clock == null ? Clock.systemUTC() : clock, fileOps == null ? FileOps.SYSTEM : fileOps);
    }
}
