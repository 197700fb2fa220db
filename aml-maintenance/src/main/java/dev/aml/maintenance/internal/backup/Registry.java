package dev.aml.maintenance.internal.backup;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.BackupException;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code backup_metadata.json}, the registry Loom's tool reads: {@code {"version":"1.0.0",
 * "backups":[…]}} with exactly the reference's fields per backup, so Loom's {@code backup list} can
 * list AML backups (its loader stops at the first unknown field of an entry, so AML's additions —
 * description, codec, verified flag, exact start — live in a separate top-level {@code "aml"} object
 * keyed by id). The manifests inside the backup folders are the source of truth; this file is
 * regenerated from them after every change and rebuilt by {@code reindex}. Entries of backups that
 * Loom's own tool made (no manifest) are kept verbatim.
 */
public final class Registry {

    /** File name inside the backup root. */
    public static final String FILE_NAME = "backup_metadata.json";

    private final Map<String, ObjectNode> entries;

    private Registry(Map<String, ObjectNode> entries) {
        this.entries = entries;
    }

    /** @return a registry with no entries */
    public static Registry empty() {
        return new Registry(new LinkedHashMap<>());
    }

    /** @return the entries by id, in file order */
    public Map<String, ObjectNode> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    /**
     * @param file the registry file
     * @return its content; empty if it does not exist
     * @throws BackupException if it exists but cannot be read or parsed (naming the file, the position
     *     and {@code backup reindex})
     */
    public static Registry load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            throw new BackupException("Cannot read " + file + ": " + e.getMessage()
                    + ". No backup was changed; fix the permissions or run 'aml <path> backup reindex'.", e);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw damaged(file, "is not valid JSON" + (loc == null ? "" : " at byte " + loc.getByteOffset()), e);
        } catch (IOException e) {
            throw damaged(file, "cannot be parsed (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("backups").isArray()) {
            throw damaged(file, "is not an object with a \"backups\" array", null);
        }
        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : root.path("backups")) {
            if (!(entry instanceof ObjectNode o) || !o.path("backup_id").isTextual()) {
                throw damaged(file, "has an entry without a backup_id at index " + index, null);
            }
            entries.put(o.path("backup_id").textValue(), o);
            index++;
        }
        JsonNode aml = root.path("aml");
        if (aml.isObject()) {
            aml.properties().forEach(e -> {
                ObjectNode entry = entries.get(e.getKey());
                if (entry != null && e.getValue().isObject()) {
                    entry.set("__aml", e.getValue());
                }
            });
        }
        return new Registry(entries);
    }

    private static BackupException damaged(Path file, String what, @Nullable Throwable cause) {
        return new BackupException("The backup registry " + file + " " + what
                + ". No backup was changed and the file was left as it is; run 'aml <path> backup reindex'"
                + " to rebuild it from the backup folders (the damaged file is kept beside it).", cause);
    }

    /**
     * @param id an id
     * @return the Loom-format entry of a backup that Loom's tool made (no AML manifest), if registered
     */
    public @Nullable ObjectNode entry(String id) {
        return entries.get(id);
    }

    /**
     * Writes the registry for these backups atomically.
     *
     * @param file the registry file
     * @param manifests the complete AML backups, oldest first
     * @param legacy Loom-made entries to keep verbatim (their folders exist, without manifests)
     * @throws IOException if writing fails (the old file is then unchanged)
     */
    public static void write(Path file, Collection<Manifest> manifests, Collection<ObjectNode> legacy)
            throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0.0");
        ArrayNode backups = root.putArray("backups");
        ObjectNode aml = f.objectNode();
        for (ObjectNode l : legacy) {
            ObjectNode copy = l.deepCopy();
            copy.remove("__aml");
            backups.add(copy);
        }
        Path backupRoot = file.toAbsolutePath().getParent();
        for (Manifest m : manifests) {
            ObjectNode e = backups.addObject();
            e.put("backup_id", m.id());
            e.put("backup_type", m.type() == BackupType.FULL ? "full" : "incremental");
            e.put("timestamp", m.timestamp());
            e.put("source_path", m.sourcePath());
            e.put("backup_path", backupRoot.resolve(m.id()).toString());
            ArrayNode agents = e.putArray("agents");
            m.agents().forEach(agents::add);
            SortedMap<String, Manifest.FileEntry> own = m.ownFiles();
            e.put("total_size_bytes", m.ownStoredBytes());
            e.put("file_count", own.size());
            ObjectNode checksums = e.putObject("checksums");
            own.forEach((path, fe) -> checksums.put(path, fe.sha256()));
            if (m.parentId() == null) {
                e.putNull("parent_backup_id");
            } else {
                e.put("parent_backup_id", m.parentId());
            }
            e.put("compressed", !m.codec().equals("none"));
            e.put("encrypted", false);
            ObjectNode x = aml.putObject(m.id());
            x.put("description", m.description());
            x.put("codec", m.codec());
            x.put("verified", m.verified());
            x.put("complete", true);
            x.put("started_at", m.startedAt().toString());
            x.put("files_in_state", m.files().size());
            ArrayNode deleted = x.putArray("deleted");
            m.deleted().forEach(deleted::add);
        }
        root.set("aml", aml);
        AtomicFiles.write(file, PrettyJson.bytes(root));
    }

    /**
     * Builds the state of a backup that Loom's tool made, from its registry entry: its own files,
     * over its parent's state for incrementals (Loom's incrementals are differential against a full).
     *
     * @param entry the Loom entry
     * @param parent the parent's state, for incrementals
     * @param zone the zone of Loom's naive timestamps
     * @return a manifest describing it (never written to disk)
     * @throws IllegalArgumentException if the entry lacks required fields
     */
    public static Manifest legacyManifest(ObjectNode entry, @Nullable Manifest parent, ZoneId zone) {
        String id = entry.path("backup_id").asText();
        String ts = entry.path("timestamp").asText();
        java.time.Instant started;
        try {
            started = LocalDateTime.parse(ts).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            started = BackupIds.time(id, zone).orElseThrow(() ->
                    new IllegalArgumentException("backup " + id + " has no readable timestamp '" + ts + "'"));
        }
        BackupType type = entry.path("backup_type").asText().equals("full") ? BackupType.FULL : BackupType.INCREMENTAL;
        SortedMap<String, Manifest.FileEntry> files = new TreeMap<>();
        if (type == BackupType.INCREMENTAL && parent != null) {
            files.putAll(parent.files());
        }
        entry.path("checksums").properties().forEach(e -> {
            if (!e.getValue().asText().isEmpty()) {
                files.put(e.getKey(), new Manifest.FileEntry(e.getValue().asText(), -1, id, e.getKey() + ".gz", -1, "",
                        -1, -1));
            }
        });
        java.util.List<String> agents = new java.util.ArrayList<>();
        entry.path("agents").forEach(a -> agents.add(a.asText()));
        JsonNode p = entry.path("parent_backup_id");
        JsonNode x = entry.path("__aml");
        return new Manifest(id, type, p.isTextual() ? p.textValue() : null, started, ts,
                x.path("description").asText(""), "gzip", entry.path("source_path").asText(""), agents, files,
                java.util.List.of(), x.path("verified").asBoolean(false));
    }
}
