package dev.aml.maintenance.internal.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The manifest {@value #FILE_NAME} inside every backup folder: the backup's metadata and the
 * <em>complete</em> file state of the memory at that point (for each file: its SHA-256, its size and
 * which backup of the chain stores its bytes). It is written last, atomically: a folder without a
 * readable manifest is an interrupted backup. It carries its own SHA-256, so a damaged manifest is
 * detected, and {@code backup_metadata.json} can always be rebuilt from the manifests.
 *
 * @param id the backup id
 * @param type full or incremental
 * @param parentId the backup an incremental builds on
 * @param startedAt the exact start instant
 * @param timestamp the start as Loom writes it (naive local ISO time)
 * @param description why it was taken
 * @param codec the codec of the files this backup stores
 * @param sourcePath the memory root it was taken from
 * @param agents the agents present
 * @param files every file of the memory at that point, by relative path ({@code agent/patterns.json})
 * @param deleted files of the parent's state that no longer existed
 * @param verified whether verification after creation passed
 * @param statClock the file system's clock when this backup started reading files; the stat
 *     tuples it records are trusted only when strictly earlier ({@link ChangeDetector}); {@code null}
 *     when its stats must not be trusted
 * @param detection how this backup detected changes, {@code null} for older manifests
 */
public record Manifest(String id, BackupType type, @Nullable String parentId, Instant startedAt, String timestamp,
        String description, String codec, String sourcePath, List<String> agents, SortedMap<String, FileEntry> files,
        List<String> deleted, boolean verified, ChangeDetector.@Nullable StatClock statClock,
        ChangeDetector.@Nullable Summary detection) {

    /** File name of the manifest inside a backup folder. */
    public static final String FILE_NAME = "aml-manifest.json";
    /** Manifest format version. */
    public static final int FORMAT = 1;

    /** Copies the collections; rejects nulls. */
    public Manifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(startedAt, "startedAt");
        agents = List.copyOf(agents);
        files = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(files));
        deleted = List.copyOf(deleted);
    }

    /**
     * A manifest without a stat clock or detection summary (backups from another source than a
     * file tree, and Loom-made backups).
     *
     * @param id the backup id
     * @param type full or incremental
     * @param parentId the backup an incremental builds on
     * @param startedAt the exact start instant
     * @param timestamp the start as Loom writes it
     * @param description why it was taken
     * @param codec the codec of the files this backup stores
     * @param sourcePath where it was taken from
     * @param agents the agents present
     * @param files every file of the state
     * @param deleted files of the parent's state that no longer existed
     * @param verified whether verification after creation passed
     */
    public Manifest(String id, BackupType type, @Nullable String parentId, Instant startedAt, String timestamp,
            String description, String codec, String sourcePath, List<String> agents,
            SortedMap<String, FileEntry> files, List<String> deleted, boolean verified) {
        this(id, type, parentId, startedAt, timestamp, description, codec, sourcePath, agents, files, deleted, verified,
                null, null);
    }

    /**
     * One file of the memory state.
     *
     * @param sha256 lowercase hex SHA-256 of the uncompressed bytes
     * @param size uncompressed size in bytes
     * @param storedIn the backup folder that holds the bytes (this backup or an ancestor)
     * @param storedName path of the payload inside that folder, e.g. {@code coder/patterns.json.gz}
     * @param storedSize compressed size in bytes
     * @param mtimeMillis the source file's modification time when it was read, {@code -1} if unknown
     * @param items items in the file when it was taken from a store, {@code -1} if unknown
     * @param stat the source file's stat tuple that goes with {@code sha256} (the stat cache), or
     *     {@code null} when unknown or not to be trusted
     */
    public record FileEntry(String sha256, long size, String storedIn, String storedName, long storedSize,
            String storedSha256, long mtimeMillis, long items, ChangeDetector.@Nullable FileStat stat) {
        /** Rejects nulls. */
        public FileEntry {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(storedIn, "storedIn");
            Objects.requireNonNull(storedName, "storedName");
            Objects.requireNonNull(storedSha256, "storedSha256");
        }

        /**
         * An entry without a stat tuple.
         *
         * @param sha256 SHA-256 of the uncompressed bytes
         * @param size uncompressed size
         * @param storedIn the backup holding the bytes
         * @param storedName the payload's path in that backup
         * @param storedSize compressed size
         * @param storedSha256 SHA-256 of the stored bytes
         * @param mtimeMillis the source's modification time, {@code -1} if unknown
         * @param items items in the file, {@code -1} if unknown
         */
        public FileEntry(String sha256, long size, String storedIn, String storedName, long storedSize,
                String storedSha256, long mtimeMillis, long items) {
            this(sha256, size, storedIn, storedName, storedSize, storedSha256, mtimeMillis, items, null);
        }
    }

    /** @return the files whose bytes this backup itself stores */
    public SortedMap<String, FileEntry> ownFiles() {
        SortedMap<String, FileEntry> own = new TreeMap<>();
        files.forEach((path, e) -> {
            if (e.storedIn().equals(id)) {
                own.put(path, e);
            }
        });
        return own;
    }

    /** @return compressed bytes this backup itself stores */
    public long ownStoredBytes() {
        return ownFiles().values().stream().mapToLong(FileEntry::storedSize).sum();
    }

    /**
     * @param verifiedNow the new verified flag
     * @return a copy with that flag
     */
    public Manifest withVerified(boolean verifiedNow) {
        return new Manifest(id, type, parentId, startedAt, timestamp, description, codec, sourcePath, agents, files,
                deleted, verifiedNow, statClock, detection);
    }

    /** @return the manifest as compact UTF-8 JSON with its own checksum last */
    public byte[] toBytes() {
        ObjectNode body = body();
        body.put("checksum", Hashing.sha256Hex(compact(body)));
        return compact(body);
    }

    private ObjectNode body() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("format", FORMAT);
        o.put("backup_id", id);
        o.put("backup_type", type == BackupType.FULL ? "full" : "incremental");
        if (parentId == null) {
            o.putNull("parent_backup_id");
        } else {
            o.put("parent_backup_id", parentId);
        }
        o.put("started_at", startedAt.toString());
        o.put("timestamp", timestamp);
        o.put("description", description);
        o.put("codec", codec);
        o.put("source_path", sourcePath);
        ArrayNode a = o.putArray("agents");
        agents.forEach(a::add);
        ObjectNode fs = o.putObject("files");
        files.forEach((path, e) -> {
            ObjectNode n = fs.putObject(path);
            n.put("sha256", e.sha256());
            n.put("size", e.size());
            n.put("stored_in", e.storedIn());
            n.put("stored_name", e.storedName());
            n.put("stored_size", e.storedSize());
            n.put("stored_sha256", e.storedSha256());
            n.put("mtime_ms", e.mtimeMillis());
            n.put("items", e.items());
            ChangeDetector.FileStat st = e.stat();
            if (st != null) {
                ObjectNode sn = n.putObject("stat");
                sn.put("size", st.size());
                sn.put("mtime_ns", st.mtimeNanos());
                sn.put("ctime_ns", st.ctimeNanos());
                sn.put("ino", st.inode());
                sn.put("dev", st.device());
            }
        });
        ArrayNode d = o.putArray("deleted");
        deleted.forEach(d::add);
        o.put("verified", verified);
        if (statClock != null) {
            ObjectNode c = o.putObject("stat_clock");
            c.put("ctime_ns", statClock.nanos());
            c.put("dev", statClock.device());
        }
        if (detection != null) {
            ObjectNode d2 = o.putObject("change_detection");
            d2.put("mode", detection.mode().label());
            d2.put("reason", detection.reason());
            d2.put("hashed", detection.hashed());
            d2.put("reused", detection.reused());
        }
        return o;
    }

    private static byte[] compact(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a manifest", e);
        }
    }

    /**
     * Parses and checks a manifest.
     *
     * @param bytes the file content
     * @return the manifest
     * @throws IllegalArgumentException describing what is wrong (not JSON, checksum mismatch, missing field)
     */
    public static Manifest parse(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("it is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (!(root instanceof ObjectNode o)) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        JsonNode checksum = o.remove("checksum");
        if (checksum == null || !checksum.isTextual()) {
            throw new IllegalArgumentException("it has no checksum");
        }
        String actual = Hashing.sha256Hex(compact(o));
        if (!actual.equals(checksum.textValue())) {
            throw new IllegalArgumentException("its checksum does not match its content (it was changed or damaged)");
        }
        try {
            if (o.path("format").asInt(-1) != FORMAT) {
                throw new IllegalArgumentException("unknown manifest format " + o.path("format"));
            }
            String type = text(o, "backup_type");
            SortedMap<String, FileEntry> files = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : o.path("files").properties()) {
                JsonNode n = e.getValue();
                files.put(e.getKey(), new FileEntry(text(n, "sha256"), n.path("size").asLong(), text(n, "stored_in"),
                        text(n, "stored_name"), n.path("stored_size").asLong(), n.path("stored_sha256").asText(""),
                        n.path("mtime_ms").asLong(-1), n.path("items").asLong(-1), stat(n.get("stat"))));
            }
            List<String> agents = new ArrayList<>();
            o.path("agents").forEach(n -> agents.add(n.asText()));
            List<String> deleted = new ArrayList<>();
            o.path("deleted").forEach(n -> deleted.add(n.asText()));
            JsonNode parent = o.path("parent_backup_id");
            return new Manifest(text(o, "backup_id"), type.equals("full") ? BackupType.FULL : BackupType.INCREMENTAL,
                    parent.isTextual() ? parent.textValue() : null, Instant.parse(text(o, "started_at")),
                    text(o, "timestamp"), o.path("description").asText(""), text(o, "codec"),
                    o.path("source_path").asText(""), agents, files, deleted, o.path("verified").asBoolean(false),
                    clock(o.get("stat_clock")), detection(o.get("change_detection")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("its start time is not an instant: " + e.getParsedString(), e);
        }
    }

    /** A stat tuple, or {@code null} when absent or incomplete (never guessed: a partial one is not trusted). */
    private static ChangeDetector.@Nullable FileStat stat(@Nullable JsonNode n) {
        if (n == null || !n.isObject() || !allIntegral(n, "size", "mtime_ns", "ctime_ns", "ino", "dev")) {
            return null;
        }
        return new ChangeDetector.FileStat(n.get("size").longValue(), n.get("mtime_ns").longValue(),
                n.get("ctime_ns").longValue(), n.get("ino").longValue(), n.get("dev").longValue());
    }

    private static ChangeDetector.@Nullable StatClock clock(@Nullable JsonNode n) {
        if (n == null || !n.isObject() || !allIntegral(n, "ctime_ns", "dev")) {
            return null;
        }
        return new ChangeDetector.StatClock(n.get("ctime_ns").longValue(), n.get("dev").longValue());
    }

    private static ChangeDetector.@Nullable Summary detection(@Nullable JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        ChangeDetector.Mode mode = ChangeDetector.Mode.byLabel(n.path("mode").asText(""));
        return mode == null ? null : new ChangeDetector.Summary(mode, n.path("reason").asText(""),
                n.path("hashed").asLong(-1), n.path("reused").asLong(-1));
    }

    private static boolean allIntegral(JsonNode n, String... fields) {
        for (String f : fields) {
            JsonNode v = n.get(f);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return v.textValue();
    }

    /** @return the manifest as readable text, for debugging */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
