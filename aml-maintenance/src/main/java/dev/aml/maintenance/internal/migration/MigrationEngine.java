package dev.aml.maintenance.internal.migration;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryStore;
import dev.aml.core.MigrationException;
import dev.aml.core.internal.Json;
import dev.aml.loom.CompressionCodec;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MigrationReport;
import dev.aml.maintenance.Migrations;
import dev.aml.maintenance.SchemaDetection;
import dev.aml.maintenance.SchemaVersion;
import dev.aml.maintenance.internal.backup.AtomicFiles;
import dev.aml.maintenance.internal.backup.BackupEngine;
import dev.aml.maintenance.internal.backup.Hashing;
import dev.aml.maintenance.internal.backup.PrettyJson;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Plans, backs up, writes and (on failure) rolls back schema migrations of a memory tree.
 *
 * <h2>Order of work</h2>
 * <ol>
 *   <li><b>Plan</b> (no writes): read every item file of every agent (plain, gzip or LZ4 by magic
 *       bytes; {@code X.json.gz} when {@code X.json} is absent), parse it as a JSON array of objects,
 *       and run the steps on every item. Any file that does not parse, any element that is not an
 *       object and any item a step rejects stops the migration here, naming the file and element.</li>
 *   <li><b>Backup</b>: a full backup ("Pre-migration backup (from → to)"); if it fails, nothing
 *       changes.</li>
 *   <li><b>Write</b>, while the store is quiesced: the plan is made again from the files as they are
 *       now (so nothing written in between is lost), each changed file is replaced atomically (same
 *       compression as before), then {@code config/schema_version.json} gets the new version and one
 *       history entry per step (earlier history is kept).</li>
 *   <li><b>Rollback</b>: if any write fails, every file written so far and the version file get
 *       their exact previous bytes back (from the backup, or from the bytes read in step 3 when a
 *       writer slipped in after the backup), and a {@link MigrationException} names the backup.</li>
 * </ol>
 */
public final class MigrationEngine implements Migrations {

    /** Writes one file durably; tests inject failures. */
    @FunctionalInterface
    public interface FileWriter {
        /**
         * @param file the file
         * @param bytes its new content
         * @throws IOException if writing fails
         */
        void write(Path file, byte[] bytes) throws IOException;
    }

    static final String VERSION_FILE = "config/schema_version.json";

    private final MemoryStore store;
    private final Path root;
    private final BackupEngine backups;
    private final Clock clock;
    private final List<MigrationStep> steps;
    private final FileWriter writer;

    /**
     * @param store the store (lock and quiesced state)
     * @param root the memory root
     * @param backups where the pre-migration backup goes
     * @param clock the clock
     * @param writer writes files (normally {@link AtomicFiles#write})
     */
    public MigrationEngine(MemoryStore store, Path root, BackupEngine backups, Clock clock, FileWriter writer) {
        this.store = Objects.requireNonNull(store, "store");
        this.root = root.toAbsolutePath().normalize();
        this.backups = Objects.requireNonNull(backups, "backups");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = MigrationStep.builtIns();
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * @param store the store
     * @param root the memory root
     * @param backups the backup engine
     * @param clock the clock
     * @return an engine writing with {@link AtomicFiles#write}
     */
    public static MigrationEngine of(MemoryStore store, Path root, BackupEngine backups, Clock clock) {
        return new MigrationEngine(store, root, backups, clock, AtomicFiles::write);
    }

    // ------------------------------------------------------------------ reading

    /** One item file as read: where, its bytes, its codec and its parsed items. */
    private record ItemFile(String rel, Path path, ItemKind kind, String agent, byte[] bytes, CompressionCodec codec,
            List<ObjectNode> items) {
    }

    private List<ItemFile> readItemFiles() {
        List<ItemFile> files = new ArrayList<>();
        List<Path> agents = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && AgentId.isValid(d.getFileName().toString())) {
                    agents.add(d);
                }
            }
        } catch (NoSuchFileException e) {
            throw new MigrationException("The memory root " + root + " does not exist; nothing was migrated.", e);
        } catch (IOException e) {
            throw new MigrationException("Cannot list " + root + ": " + e.getMessage() + "; nothing was migrated.", e);
        }
        agents.sort(null);
        for (Path dir : agents) {
            String agent = dir.getFileName().toString();
            for (ItemKind kind : ItemKind.values()) {
                Path plain = dir.resolve(kind.fileName());
                Path gz = dir.resolve(kind.fileName() + ".gz");
                Path path = Files.isRegularFile(plain, LinkOption.NOFOLLOW_LINKS) ? plain
                        : Files.isRegularFile(gz, LinkOption.NOFOLLOW_LINKS) ? gz : null;
                if (path != null) {
                    files.add(read(agent + "/" + path.getFileName(), path, kind, agent));
                }
            }
        }
        return files;
    }

    private static ItemFile read(String rel, Path path, ItemKind kind, String agent) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CorruptDataException("Cannot read " + path + ": " + e.getMessage() + ". Nothing was migrated.",
                    path, -1, CorruptDataException.PositionKind.NONE, e);
        }
        CompressionCodec codec = CompressionCodec.detect(Arrays.copyOf(bytes, Math.min(bytes.length, 4)));
        byte[] json;
        try {
            json = codec.decompress(bytes);
        } catch (CorruptDataException e) {
            throw new CorruptDataException(path + " is damaged " + codec.name() + " data: " + e.getMessage()
                    + " Nothing was migrated; restore the file from a backup first.", path, e.position(),
                    CorruptDataException.PositionKind.BYTE_OFFSET, e);
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            long at = loc == null ? -1 : loc.getByteOffset();
            throw new CorruptDataException(path + " is not valid JSON" + (at >= 0 ? " at byte " + at : "") + " ("
                    + e.getOriginalMessage() + "). Nothing was migrated and the file was left untouched; restore it"
                    + " from a backup ('aml <path> backup restore') and migrate again.", path, at,
                    CorruptDataException.PositionKind.BYTE_OFFSET, e);
        } catch (IOException e) {
            throw new CorruptDataException("Cannot parse " + path + ": " + e.getMessage() + ". Nothing was migrated.",
                    path, -1, CorruptDataException.PositionKind.NONE, e);
        }
        if (tree == null || !tree.isArray()) {
            throw new CorruptDataException(path + " is not a JSON array of items. Nothing was migrated and the file"
                    + " was left untouched.", path, 0, CorruptDataException.PositionKind.BYTE_OFFSET, null);
        }
        List<ObjectNode> items = new ArrayList<>();
        int i = 0;
        for (JsonNode n : tree) {
            if (!(n instanceof ObjectNode o)) {
                throw new CorruptDataException(path + ": element " + i + " is not a JSON object but " + n.getNodeType()
                        + ". Nothing was migrated and the file was left untouched.", path, i,
                        CorruptDataException.PositionKind.ELEMENT_INDEX, null);
            }
            items.add(o);
            i++;
        }
        return new ItemFile(rel, path, kind, agent, bytes, codec, items);
    }

    // ------------------------------------------------------------------ detect

    @Override
    public SchemaDetection detect() {
        List<String> notes = new ArrayList<>();
        Path versionFile = root.resolve(VERSION_FILE);
        if (Files.isRegularFile(versionFile)) {
            try {
                JsonNode v = Json.MAPPER.readTree(Files.readAllBytes(versionFile));
                String text = v == null ? null : v.path("version").asText(null);
                if (text == null) {
                    notes.add(VERSION_FILE + " has no \"version\"; the version was detected from the data");
                } else {
                    return new SchemaDetection(SchemaVersion.of(text), VERSION_FILE, Map.of(), notes);
                }
            } catch (IOException | RuntimeException e) {
                notes.add(VERSION_FILE + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
                        + "); the version was detected from the data");
            }
        }
        return detectFromData(readItemFiles(), notes);
    }

    private static SchemaDetection detectFromData(List<ItemFile> files, List<String> notes) {
        Map<SchemaVersion, Long> patterns = new EnumMap<>(SchemaVersion.class);
        Map<SchemaVersion, Long> others = new EnumMap<>(SchemaVersion.class);
        for (ItemFile f : files) {
            for (ObjectNode item : f.items()) {
                if (f.kind() == ItemKind.PATTERN) {
                    patterns.merge(classifyPattern(item), 1L, Long::sum);
                } else {
                    others.merge(classifyOther(item), 1L, Long::sum);
                }
            }
        }
        Map<SchemaVersion, Long> used = patterns.isEmpty() ? others : patterns;
        if (used.isEmpty()) {
            return new SchemaDetection(SchemaVersion.V1_0_0, "default", Map.of(), notes);
        }
        SchemaVersion oldest = used.keySet().iterator().next(); // EnumMap: in version order
        if (used.size() > 1) {
            notes.add("the tree mixes item shapes " + used + "; it counts as its oldest, " + oldest
                    + ", and migrating brings every item to the target");
        }
        return new SchemaDetection(oldest, "data", used, notes);
    }

    private static SchemaVersion classifyPattern(ObjectNode item) {
        if ("2.0.0".equals(item.path("version").asText(null))) {
            return SchemaVersion.V2_0_0;
        }
        if (item.has("metadata")) {
            return SchemaVersion.V1_2_0;
        }
        if (item.has("tags") && item.has("active")) {
            return SchemaVersion.V1_1_0;
        }
        return SchemaVersion.V1_0_0;
    }

    private static SchemaVersion classifyOther(ObjectNode item) {
        if ("2.0.0".equals(item.path("version").asText(null))) {
            return SchemaVersion.V2_0_0;
        }
        if (item.has("metadata")) {
            return SchemaVersion.V1_2_0;
        }
        return item.has("tags") ? SchemaVersion.V1_1_0 : SchemaVersion.V1_0_0;
    }

    // ------------------------------------------------------------------ plan

    /** The new content of one file. */
    private record FileChange(ItemFile file, byte[] newBytes, long itemsChanged) {
    }

    private record Plan(SchemaVersion from, SchemaVersion to, List<MigrationStep> steps, List<FileChange> changes) {
        long items() {
            return changes.stream().mapToLong(FileChange::itemsChanged).sum();
        }

        List<String> stepNames() {
            return steps.stream().map(s -> s.from() + " -> " + s.to()).toList();
        }

        List<String> lines() {
            return changes.stream().map(c -> c.file().rel() + ": " + c.itemsChanged() + " of "
                    + c.file().items().size() + " items change").toList();
        }
    }

    private Plan plan(SchemaVersion target, List<ItemFile> files, SchemaVersion from) {
        if (target.compareTo(from) < 0) {
            throw new MigrationException("The tree at " + root + " is at schema " + from + ", newer than " + target
                    + "; AML does not downgrade. Restore the backup taken before the migration instead (its"
                    + " description starts with 'Pre-migration').");
        }
        List<MigrationStep> path = steps.stream()
                .filter(s -> s.from().compareTo(from) >= 0 && s.to().compareTo(target) <= 0).toList();
        String now = clock.instant().toString();
        List<FileChange> changes = new ArrayList<>();
        if (path.isEmpty()) {
            return new Plan(from, target, path, changes);
        }
        for (ItemFile f : files) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            long changed = 0;
            for (int i = 0; i < f.items().size(); i++) {
                ObjectNode before = f.items().get(i);
                ObjectNode item = before;
                for (MigrationStep step : path) {
                    try {
                        item = step.apply(f.kind(), item, f.agent(), now);
                    } catch (IllegalArgumentException e) {
                        throw new MigrationException("Cannot migrate " + f.path() + ", element " + i + " (id '"
                                + before.path("id").asText("?") + "') from " + step.from() + " to " + step.to()
                                + ": " + e.getMessage() + ". Nothing was written; fix or remove that item and run the"
                                + " migration again.", e);
                    }
                }
                if (!item.equals(before)) {
                    changed++;
                }
                out.add(item);
            }
            if (changed > 0) {
                byte[] json = PrettyJson.bytes(out);
                changes.add(new FileChange(f, f.codec().name().equals("none") ? json : f.codec().compress(json),
                        changed));
            }
        }
        return new Plan(from, target, path, changes);
    }

    // ------------------------------------------------------------------ migrate

    @Override
    public MigrationReport dryRun(SchemaVersion target) {
        long t0 = System.nanoTime();
        SchemaVersion from = detect().version();
        Plan plan = plan(target, readItemFiles(), from);
        return new MigrationReport(from, target, plan.stepNames(), true, plan.items(), plan.changes().size(),
                plan.lines(), null, Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public MigrationReport migrate(SchemaVersion target) {
        Objects.requireNonNull(target, "target");
        try (MaintenanceLock lock = store.lockMaintenance("migrate")) {
            return migrateLocked(target, lock);
        }
    }

    private MigrationReport migrateLocked(SchemaVersion target, MaintenanceLock lock) {
        long t0 = System.nanoTime();
        SchemaVersion from = detect().version();
        Plan first = plan(target, readItemFiles(), from);
        if (first.steps().isEmpty()) {
            return new MigrationReport(from, target, List.of(), false, 0, 0, List.of(), null,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
        BackupInfo backup;
        try {
            backup = backups.createFull("Pre-migration backup (" + from + " -> " + target + ")", lock);
        } catch (RuntimeException e) {
            throw new MigrationException("The backup before migrating " + root + " failed: " + e.getMessage()
                    + " Nothing was migrated.", e);
        }
        Plan plan = store.quiesced(() -> {
            Plan p = plan(target, readItemFiles(), from);
            write(p, backup.id());
            return p;
        });
        return new MigrationReport(from, target, plan.stepNames(), false, plan.items(), plan.changes().size(),
                plan.lines(), backup.id(), Duration.ofNanos(System.nanoTime() - t0));
    }

    private void write(Plan plan, String backupId) {
        Path versionFile = root.resolve(VERSION_FILE);
        byte[] versionBefore = readIfExists(versionFile);
        Map<Path, byte[]> written = new LinkedHashMap<>();
        Map<Path, String> rels = new LinkedHashMap<>();
        try {
            for (FileChange c : plan.changes()) {
                written.put(c.file().path(), c.file().bytes());
                rels.put(c.file().path(), c.file().rel());
                writer.write(c.file().path(), c.newBytes());
            }
            written.put(versionFile, versionBefore);
            rels.put(versionFile, VERSION_FILE);
            Files.createDirectories(versionFile.getParent());
            writer.write(versionFile, versionFile(versionBefore, plan, backupId));
        } catch (IOException | RuntimeException e) {
            List<String> notRestored = rollback(written, rels, backupId);
            throw new MigrationException("Migrating " + root + " from " + plan.from() + " to " + plan.to()
                    + " failed while writing (" + e + "). " + (notRestored.isEmpty()
                    ? "Every file was rolled back to its exact previous content (backup " + backupId + ")."
                    : "These files could NOT be rolled back: " + notRestored + "; restore them with 'aml <path> backup"
                    + " restore --backup-id " + backupId + "'.") + " Fix the cause and migrate again.", e);
        }
    }

    private List<String> rollback(Map<Path, byte[]> written, Map<Path, String> rels, String backupId) {
        List<String> failed = new ArrayList<>();
        for (Map.Entry<Path, byte[]> w : written.entrySet()) {
            Path file = w.getKey();
            byte[] original = w.getValue();
            try {
                if (original == null) {
                    Files.deleteIfExists(file);
                    continue;
                }
                byte[] fromBackup = null;
                try {
                    fromBackup = backups.readFile(backupId, rels.get(file)).orElse(null);
                } catch (RuntimeException e) {
                    // the backup cannot give this file: the bytes read before writing are used
                }
                byte[] source = fromBackup != null
                        && Hashing.sha256Hex(fromBackup).equals(Hashing.sha256Hex(original)) ? fromBackup : original;
                AtomicFiles.write(file, source);
            } catch (IOException | RuntimeException e) {
                failed.add(file + " (" + e.getMessage() + ")");
            }
        }
        return failed;
    }

    private static byte @Nullable [] readIfExists(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new MigrationException("Cannot read " + file + ": " + e.getMessage() + "; nothing was migrated.", e);
        }
    }

    private byte[] versionFile(byte @Nullable [] before, Plan plan, String backupId) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        ArrayNode history = f.arrayNode();
        Map<String, JsonNode> extra = new TreeMap<>();
        if (before != null) {
            try {
                JsonNode old = Json.MAPPER.readTree(before);
                if (old instanceof ObjectNode o) {
                    if (o.path("migration_history").isArray()) {
                        o.path("migration_history").forEach(h -> history.add(h.deepCopy()));
                    }
                    for (Map.Entry<String, JsonNode> e : o.properties()) {
                        if (!List.of("version", "updated_at", "migration_history").contains(e.getKey())) {
                            extra.put(e.getKey(), e.getValue());
                        }
                    }
                }
            } catch (IOException e) {
                extra.put("previous_version_file", f.textNode("unreadable; kept in backup " + backupId));
            }
        }
        String now = clock.instant().toString();
        out.put("version", plan.to().text());
        out.put("updated_at", now);
        for (MigrationStep s : plan.steps()) {
            ObjectNode h = history.addObject();
            h.put("from", s.from().text());
            h.put("to", s.to().text());
            h.put("migrated_at", now);
            h.put("backup_id", backupId);
        }
        ObjectNode last = (ObjectNode) history.get(history.size() - 1);
        last.put("items_migrated", plan.items());
        last.put("files_updated", plan.changes().size());
        out.set("migration_history", history);
        extra.forEach(out::set);
        return PrettyJson.bytes(out);
    }
}
