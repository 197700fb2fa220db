package dev.aml.maintenance.internal.backup;

import dev.aml.maintenance.BackupType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides which backups rotation deletes. Pure: backups, now and the limits in, a plan out.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>A backup is <em>wanted</em> when it is among the {@code maxBackups} newest and not older than
 *       {@code retentionDays} (started at or after {@code now − retentionDays}).</li>
 *   <li>The newest backup and the newest full backup are always wanted, so rotation never leaves
 *       a tree without a restore point, however old the backups are.</li>
 *   <li>Everything a wanted backup depends on (its parent, the parent's parent, … up to its full
 *       backup) is kept too: an incremental references unchanged files stored in its ancestors.
 *       This is the fix for Loom's rotation, which deleted full backups that kept incrementals
 *       needed. Because of it, more than {@code maxBackups} may be kept; the reason is reported.</li>
 *   <li>Everything else is deleted, newest first (dependents before what they depend on), so a crash
 *       half-way never leaves a kept backup without its parent.</li>
 * </ol>
 */
public final class RotationPlanner {

    private RotationPlanner() {
    }

    /**
     * A backup as rotation sees it.
     *
     * @param id the id
     * @param type full or incremental
     * @param startedAt when it started
     * @param parentId its parent, for incrementals
     */
    public record Node(String id, BackupType type, Instant startedAt, @Nullable String parentId) {
        /** Rejects nulls. */
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }

    /**
     * The plan.
     *
     * @param delete ids to delete, newest first
     * @param keep ids to keep, oldest first
     * @param keptBecause why backups outside the policy are kept
     */
    public record Plan(List<String> delete, List<String> keep, Map<String, String> keptBecause) {
    }

    /** Orders backups newest first, ties by id (later ids first). */
    public static final Comparator<Node> NEWEST_FIRST = Comparator.comparing(Node::startedAt)
            .thenComparing(Node::id).reversed();

    /**
     * @param backups complete backups
     * @param now the current instant
     * @param retentionDays retention in days
     * @param maxBackups most backups kept by count
     * @return the plan
     */
    public static Plan plan(List<Node> backups, Instant now, int retentionDays, int maxBackups) {
        List<Node> sorted = new ArrayList<>(backups);
        sorted.sort(NEWEST_FIRST);
        Map<String, Node> byId = new HashMap<>();
        sorted.forEach(n -> byId.put(n.id(), n));
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        Map<String, String> reasons = new LinkedHashMap<>();
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            Node n = sorted.get(i);
            if (i < maxBackups && !n.startedAt().isBefore(cutoff)) {
                keep.add(n.id());
            }
        }
        if (!sorted.isEmpty() && keep.add(sorted.get(0).id())) {
            reasons.put(sorted.get(0).id(), "newest backup");
        }
        sorted.stream().filter(n -> n.type() == BackupType.FULL).findFirst().ifPresent(full -> {
            if (keep.add(full.id())) {
                reasons.put(full.id(), "newest full backup");
            }
        });
        for (String id : List.copyOf(keep)) {
            Node n = byId.get(id);
            String dependent = id;
            while (n != null && n.parentId() != null) {
                Node parent = byId.get(n.parentId());
                if (parent == null) {
                    break;
                }
                if (keep.add(parent.id())) {
                    reasons.put(parent.id(), dependent + " depends on it");
                }
                n = parent;
            }
        }
        List<String> delete = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Node n : sorted) {
            if (keep.contains(n.id())) {
                kept.add(0, n.id());
            } else {
                delete.add(n.id());
            }
        }
        return new Plan(List.copyOf(delete), List.copyOf(kept), Map.copyOf(reasons));
    }
}
