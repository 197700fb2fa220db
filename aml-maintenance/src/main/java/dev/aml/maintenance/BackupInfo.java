package dev.aml.maintenance;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One registered backup, as listed in {@code backup_metadata.json}.
 *
 * @param id the id users type, e.g. {@code full_20260125_020000}
 * @param type full or incremental
 * @param timestamp when the backup started
 * @param parentId the backup this one builds on (incrementals), else {@code null}
 * @param description why it was taken, e.g. {@code "Pre-prune backup"}; empty when none
 * @param agents the agents it covers
 * @param fileCount files stored in this backup itself
 * @param totalSizeBytes compressed bytes stored in this backup itself
 * @param path the backup's directory
 * @param verified whether verification after creation passed
 * @param codec the codec of the files stored in this backup ({@code gzip}, {@code lz4} or {@code none})
 * @param complete whether the backup was finished; an interrupted backup is listed with {@code false}
 *     and ignored by restore, verify and rotation (delete it with {@code backup delete})
 */
public record BackupInfo(String id, BackupType type, Instant timestamp, @Nullable String parentId, String description,
        List<String> agents, int fileCount, long totalSizeBytes, Path path, boolean verified, String codec,
        boolean complete) {

    /** Copies the agent list; rejects nulls. */
    public BackupInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(description, "description");
        agents = List.copyOf(agents);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(codec, "codec");
    }
}
