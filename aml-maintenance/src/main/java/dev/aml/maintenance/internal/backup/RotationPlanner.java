package dev.aml.maintenance.internal.backup;

import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.RotationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides which backups rotation deletes, and why each one stays or goes. Pure: backups, now and the
 * policy in, a plan out.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Policy.</b> A backup is wanted when any of these keeps it (restic's and borg's
 *       {@code --keep-*}, beside Loom's {@code retention_days}):
 *       <ul>
 *         <li>{@code retention_days}: it started at or after {@code now − retentionDays};</li>
 *         <li>{@code keep_last N}: it is among the N newest;</li>
 *         <li>{@code keep_daily N}, {@code keep_weekly N}, {@code keep_monthly N}: it is the newest
 *             backup of one of the N newest days (ISO weeks, calendar months) that have backups, in the
 *             policy's time zone.</li>
 *       </ul>
 *       Of the wanted backups only the {@code max_backups} newest stay wanted.</li>
 *   <li><b>Safety.</b> The newest backup, the newest full backup and the newest <em>verified</em> full
 *       backup are always kept, so rotation never leaves a tree without a restore point that was
 *       checked, however old the backups are.</li>
 *   <li><b>Chains.</b> Everything a kept backup depends on (its parent, the parent's parent, … up to
 *       its full backup) is kept too: an incremental references unchanged files stored in its
 *       ancestors. This is the fix for Loom's rotation, which deleted full backups that kept
 *       incrementals needed. Because of it, more than {@code max_backups} may be kept.</li>
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
     * @param verified whether its verification passed
     */
    public record Node(String id, BackupType type, Instant startedAt, @Nullable String parentId, boolean verified) {
        /** Rejects nulls. */
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(startedAt, "startedAt");
        }

        /**
         * An unverified backup.
         *
         * @param id the id
         * @param type full or incremental
         * @param startedAt when it started
         * @param parentId its parent, for incrementals
         */
        public Node(String id, BackupType type, Instant startedAt, @Nullable String parentId) {
            this(id, type, startedAt, parentId, false);
        }
    }

    /**
     * What rotation keeps.
     *
     * @param retentionDays keep backups younger than this many days
     * @param maxBackups at most this many backups are kept by the policy
     * @param keepLast keep the newest N (0 = off)
     * @param keepDaily keep the newest of each of N days (0 = off)
     * @param keepWeekly keep the newest of each of N ISO weeks (0 = off)
     * @param keepMonthly keep the newest of each of N months (0 = off)
     * @param zone the time zone of days, weeks and months
     */
    public record Policy(int retentionDays, int maxBackups, int keepLast, int keepDaily, int keepWeekly,
            int keepMonthly, ZoneId zone) {

        /** Rejects nulls. */
        public Policy {
            Objects.requireNonNull(zone, "zone");
        }

        /**
         * @param config backup settings
         * @param zone the time zone of days, weeks and months
         * @return the policy of {@code config}
         */
        public static Policy of(BackupConfig config, ZoneId zone) {
            return new Policy(config.retentionDays(), config.maxBackups(), config.keepLast(), config.keepDaily(),
                    config.keepWeekly(), config.keepMonthly(), zone);
        }
    }

    /**
     * The plan.
     *
     * @param delete ids to delete, newest first
     * @param keep ids to keep, oldest first
     * @param keptBecause why backups outside the policy are kept (safety and chain rules)
     * @param decisions every backup, newest first, with keep or remove and the rules that decided it
     */
    public record Plan(List<String> delete, List<String> keep, Map<String, String> keptBecause,
            List<RotationReport.Decision> decisions) {
    }

    /** Orders backups newest first, ties by id (later ids first). */
    public static final Comparator<Node> NEWEST_FIRST = Comparator.comparing(Node::startedAt)
            .thenComparing(Node::id).reversed();

    /**
     * Loom's policy only: retention days and the maximum count, in UTC.
     *
     * @param backups complete backups
     * @param now the current instant
     * @param retentionDays retention in days
     * @param maxBackups most backups kept by count
     * @return the plan
     */
    public static Plan plan(List<Node> backups, Instant now, int retentionDays, int maxBackups) {
        return plan(backups, now, new Policy(retentionDays, maxBackups, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    /**
     * @param backups complete backups
     * @param now the current instant
     * @param policy what to keep
     * @return the plan
     */
    public static Plan plan(List<Node> backups, Instant now, Policy policy) {
        List<Node> sorted = new ArrayList<>(backups);
        sorted.sort(NEWEST_FIRST);
        Map<String, Node> byId = new HashMap<>();
        sorted.forEach(n -> byId.put(n.id(), n));
        Map<String, List<String>> rules = new LinkedHashMap<>();
        sorted.forEach(n -> rules.put(n.id(), new ArrayList<>()));

        Instant cutoff = now.minus(Duration.ofDays(policy.retentionDays()));
        for (Node n : sorted) {
            if (!n.startedAt().isBefore(cutoff)) {
                rules.get(n.id()).add("retention_days (younger than " + policy.retentionDays() + " days)");
            }
        }
        for (int i = 0; i < Math.min(policy.keepLast(), sorted.size()); i++) {
            rules.get(sorted.get(i).id()).add("keep_last (" + (i + 1) + " of " + policy.keepLast() + ")");
        }
        ZoneId zone = policy.zone();
        buckets(sorted, policy.keepDaily(), "keep_daily", n -> LocalDate.ofInstant(n.startedAt(), zone).toString(), rules);
        buckets(sorted, policy.keepWeekly(), "keep_weekly", n -> {
            LocalDate d = LocalDate.ofInstant(n.startedAt(), zone);
            return String.format(java.util.Locale.ROOT, "%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR),
                    d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }, rules);
        buckets(sorted, policy.keepMonthly(), "keep_monthly",
                n -> YearMonth.from(LocalDate.ofInstant(n.startedAt(), zone)).toString(), rules);

        Set<String> keep = new HashSet<>();
        Map<String, String> removeBecause = new HashMap<>();
        int wanted = 0;
        for (Node n : sorted) {
            if (rules.get(n.id()).isEmpty()) {
                removeBecause.put(n.id(), "older than retention_days (" + policy.retentionDays()
                        + ") and kept by no keep_* rule");
            } else if (wanted >= policy.maxBackups()) {
                removeBecause.put(n.id(), "over max_backups (" + policy.maxBackups() + " newer backups are kept)");
            } else {
                wanted++;
                keep.add(n.id());
            }
        }

        Map<String, String> because = new LinkedHashMap<>();
        if (!sorted.isEmpty()) {
            safety(sorted.get(0), "newest backup", keep, because, rules);
        }
        sorted.stream().filter(n -> n.type() == BackupType.FULL).findFirst()
                .ifPresent(full -> safety(full, "newest full backup", keep, because, rules));
        sorted.stream().filter(n -> n.type() == BackupType.FULL && n.verified()).findFirst()
                .ifPresent(full -> safety(full, "newest verified full backup", keep, because, rules));
        for (Node kept : sorted) {
            if (!keep.contains(kept.id())) {
                continue;
            }
            Node n = kept;
            while (n != null && n.parentId() != null) {
                Node parent = byId.get(n.parentId());
                if (parent == null) {
                    break;
                }
                if (keep.add(parent.id())) {
                    because.put(parent.id(), kept.id() + " depends on it");
                }
                rules.get(parent.id()).add("needed by " + kept.id());
                n = parent;
            }
        }

        List<String> delete = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<RotationReport.Decision> decisions = new ArrayList<>();
        for (Node n : sorted) {
            boolean k = keep.contains(n.id());
            if (k) {
                kept.add(0, n.id());
            } else {
                delete.add(n.id());
            }
            decisions.add(new RotationReport.Decision(n.id(), k,
                    k ? rules.get(n.id()) : List.of(removeBecause.get(n.id()))));
        }
        return new Plan(List.copyOf(delete), List.copyOf(kept), Map.copyOf(because), List.copyOf(decisions));
    }

    private static void safety(Node n, String rule, Set<String> keep, Map<String, String> because,
            Map<String, List<String>> rules) {
        rules.get(n.id()).add(rule);
        if (keep.add(n.id())) {
            because.put(n.id(), rule);
        }
    }

    private static void buckets(List<Node> newestFirst, int count, String rule, Function<Node, String> bucketOf,
            Map<String, List<String>> rules) {
        if (count <= 0) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Node n : newestFirst) {
            String bucket = bucketOf.apply(n);
            if (seen.size() >= count && !seen.contains(bucket)) {
                break;
            }
            if (seen.add(bucket)) {
                rules.get(n.id()).add(rule + " (" + bucket + ")");
            }
        }
    }
}
