package dev.aml.maintenance.internal.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.BackupException;
import dev.aml.maintenance.BackupType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the backup root holds right now: complete backups (AML manifests, and Loom-made backups
 * known from the registry), and incomplete ones (folders without a readable manifest: interrupted
 * or damaged). Built from the folders, so it is right even when the registry lags behind a crash.
 */
public final class Catalog {

    /**
     * An incomplete backup folder.
     *
     * @param id the folder name
     * @param reason why it is not usable
     */
    public record Incomplete(String id, String reason) {
    }

    private final Map<String, Manifest> complete;
    private final Map<String, Incomplete> incomplete;
    private final Map<String, ObjectNode> legacy;

    private Catalog(Map<String, Manifest> complete, Map<String, Incomplete> incomplete,
            Map<String, ObjectNode> legacy) {
        this.complete = complete;
        this.incomplete = incomplete;
        this.legacy = legacy;
    }

    /**
     * @param root the backup root
     * @param registry the loaded registry (for Loom-made backups and their descriptions)
     * @param zone the zone of naive timestamps
     * @return the catalog
     * @throws BackupException if the root cannot be listed
     */
    public static Catalog scan(Path root, Registry registry, ZoneId zone) {
        Map<String, Manifest> complete = new TreeMap<>();
        Map<String, Incomplete> incomplete = new TreeMap<>();
        List<String> legacyIds = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (!BackupIds.isId(id) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path mf = dir.resolve(Manifest.FILE_NAME);
                if (Files.isRegularFile(mf)) {
                    try {
                        Manifest m = Manifest.parse(Files.readAllBytes(mf));
                        if (!m.id().equals(id)) {
                            incomplete.put(id, new Incomplete(id, "its manifest names another backup ("
                                    + m.id() + ")"));
                        } else {
                            complete.put(id, m);
                        }
                    } catch (IllegalArgumentException | IOException e) {
                        incomplete.put(id, new Incomplete(id, "its manifest " + mf + " is damaged: " + e.getMessage()));
                    }
                } else if (registry.entry(id) != null) {
                    legacyIds.add(id);
                } else {
                    incomplete.put(id, new Incomplete(id, "interrupted before it was finished (no "
                            + Manifest.FILE_NAME + ")"));
                }
            }
        } catch (NoSuchFileException e) {
            return new Catalog(complete, incomplete, Map.of());
        } catch (IOException e) {
            throw new BackupException("Cannot list the backup root " + root + ": " + e.getMessage(), e);
        }
        // Loom-made backups: build their state in time order so that parents come first.
        Map<String, ObjectNode> legacy = new LinkedHashMap<>();
        legacyIds.sort(Comparator.comparing((String id) -> registry.entry(id).path("timestamp").asText()));
        for (String id : legacyIds) {
            ObjectNode entry = registry.entry(id);
            try {
                String parentId = entry.path("parent_backup_id").isTextual()
                        ? entry.path("parent_backup_id").textValue() : null;
                Manifest parent = parentId == null ? null : complete.get(parentId);
                complete.put(id, Registry.legacyManifest(entry, parent, zone));
                legacy.put(id, entry);
            } catch (IllegalArgumentException e) {
                incomplete.put(id, new Incomplete(id, "its registry entry is unusable: " + e.getMessage()));
            }
        }
        return new Catalog(complete, incomplete, legacy);
    }

    /** @return complete backups by id */
    public Map<String, Manifest> complete() {
        return complete;
    }

    /** @return incomplete backup folders by id */
    public Map<String, Incomplete> incomplete() {
        return incomplete;
    }

    /** @return registry entries of Loom-made backups to keep */
    public Map<String, ObjectNode> legacy() {
        return legacy;
    }

    /**
     * @param id an id
     * @return whether a backup (complete or not) already uses it
     */
    public boolean taken(String id) {
        return complete.containsKey(id) || incomplete.containsKey(id);
    }

    /** @return complete backups, oldest first */
    public List<Manifest> oldestFirst() {
        List<Manifest> all = new ArrayList<>(complete.values());
        all.sort(Comparator.comparing(Manifest::startedAt).thenComparing(Manifest::id));
        return all;
    }

    /** @return the newest complete backup, if any */
    public Optional<Manifest> newest() {
        List<Manifest> all = oldestFirst();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** @return the newest complete full backup, if any */
    public Optional<Manifest> newestFull() {
        List<Manifest> all = oldestFirst();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).type() == BackupType.FULL) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param m a complete backup
     * @return its chain, full backup first and {@code m} last
     * @throws BackupException if a backup of the chain is missing or incomplete
     */
    public List<Manifest> chain(Manifest m) {
        List<Manifest> chain = new ArrayList<>();
        Manifest cur = m;
        while (true) {
            chain.add(0, cur);
            if (cur.type() == BackupType.FULL) {
                return chain;
            }
            String parentId = cur.parentId();
            if (parentId == null) {
                throw new BackupException("Incremental backup " + cur.id() + " names no parent, so " + m.id()
                        + " cannot be restored; restore an older full backup instead.");
            }
            Manifest parent = complete.get(parentId);
            if (parent == null) {
                Incomplete inc = incomplete.get(parentId);
                throw new BackupException("Backup " + m.id() + " needs " + parentId + ", which "
                        + (inc != null ? "is unusable: " + inc.reason() : "is missing")
                        + "; restore another backup (see 'aml <path> backup list').");
            }
            if (chain.size() > complete.size()) {
                throw new BackupException("The parents of backup " + m.id() + " form a loop; its manifests were"
                        + " edited by hand. Restore another backup.");
            }
            cur = parent;
        }
    }

    /**
     * @param id a backup id
     * @return the complete backups whose chain contains {@code id} (other than itself)
     */
    public List<String> dependents(String id) {
        List<String> out = new ArrayList<>();
        for (Manifest m : complete.values()) {
            if (m.id().equals(id)) {
                continue;
            }
            Manifest cur = m;
            int guard = 0;
            while (cur != null && cur.parentId() != null && guard++ <= complete.size()) {
                if (cur.parentId().equals(id)) {
                    out.add(m.id());
                    break;
                }
                cur = complete.get(cur.parentId());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * @param id an id
     * @return when an incomplete backup started, from its id
     */
    public static @Nullable Instant idTime(String id, ZoneId zone) {
        return BackupIds.time(id, zone).orElse(null);
    }
}
