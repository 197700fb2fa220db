package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.RotationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The restic/borg-style keep rules beside Loom's retention_days and max_backups. */
class RetentionPolicyTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    /** A full backup every day at 02:00 for {@code days} days, plus an incremental at 14:00. */
    static List<RotationPlanner.Node> daily(int days) {
        List<RotationPlanner.Node> out = new ArrayList<>();
        for (int d = days; d >= 1; d--) {
            Instant full = NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(d)).plusSeconds(7200);
            String fullId = "full_" + d;
            out.add(new RotationPlanner.Node(fullId, BackupType.FULL, full, null, true));
            out.add(new RotationPlanner.Node("incr_" + d, BackupType.INCREMENTAL, full.plus(Duration.ofHours(12)),
                    fullId, true));
        }
        return out;
    }

    static RotationPlanner.Plan plan(List<RotationPlanner.Node> nodes, int retentionDays, int max, int last, int daily,
            int weekly, int monthly) {
        return RotationPlanner.plan(nodes, NOW, new RotationPlanner.Policy(retentionDays, max, last, daily, weekly,
                monthly, ZoneOffset.UTC));
    }

    static Map<String, RotationReport.Decision> byId(RotationPlanner.Plan p) {
        return p.decisions().stream().collect(Collectors.toMap(RotationReport.Decision::backupId, d -> d));
    }

    @Test
    void keepDailyKeepsTheNewestBackupOfEachOfTheLastDays() {
        RotationPlanner.Plan p = plan(daily(10), 0, 100, 0, 3, 0, 0);
        // the newest of each of the 3 newest days is its 14:00 incremental, which needs that day's full
        assertThat(p.keep()).containsExactly("full_3", "incr_3", "full_2", "incr_2", "full_1", "incr_1");
        Map<String, RotationReport.Decision> d = byId(p);
        assertThat(d.get("incr_2").rules()).containsExactly("keep_daily (2026-12-05)");
        assertThat(d.get("full_2").rules()).containsExactly("needed by incr_2");
        assertThat(d.get("incr_1").rules()).contains("keep_daily (2026-12-06)", "newest backup");
        assertThat(d.get("full_4").keep()).isFalse();
        assertThat(d.get("full_4").rules()).containsExactly("older than retention_days (0) and kept by no keep_* rule");
        assertThat(p.decisions()).extracting(RotationReport.Decision::backupId).first().isEqualTo("incr_1");
    }

    @Test
    void keepLastWeeklyAndMonthlyReachFurtherBack() {
        RotationPlanner.Plan p = plan(daily(70), 0, 100, 2, 0, 2, 3);
        Map<String, RotationReport.Decision> d = byId(p);
        assertThat(d.get("incr_1").rules()).contains("keep_last (1 of 2)", "keep_weekly (2026-W49)",
                "keep_monthly (2026-12)");
        assertThat(d.get("full_1").rules()).contains("keep_last (2 of 2)");
        // 2026-11-30 (Mon) .. 2026-12-06 (Sun) is W49; W48's newest backup is on Sunday 2026-11-29 = 8 days ago
        assertThat(d.get("incr_8").rules()).containsExactly("keep_weekly (2026-W48)");
        // November's newest is 2026-11-30 (7 days ago), October's 2026-10-31 (37 days ago)
        assertThat(d.get("incr_7").rules()).containsExactly("keep_monthly (2026-11)");
        assertThat(d.get("incr_37").rules()).containsExactly("keep_monthly (2026-10)");
        assertThat(d.get("incr_38").keep()).isFalse();
        assertThat(p.keep()).hasSize(2 + 2 * 3); // keep_last 2, then three incrementals with their fulls
    }

    @Test
    void retentionDaysAndMaxBackupsKeepLoomsMeaning() {
        RotationPlanner.Plan p = plan(daily(40), 30, 100, 0, 0, 0, 0);
        assertThat(p.keep()).hasSize(60);
        assertThat(byId(p).get("incr_30").rules()).containsExactly("retention_days (younger than 30 days)");
        RotationPlanner.Plan capped = plan(daily(40), 30, 5, 0, 0, 0, 0);
        assertThat(byId(capped).get("incr_10").rules()).containsExactly("over max_backups (5 newer backups are kept)");
        // the 5 newest are incr_1, full_1, incr_2, full_2, incr_3; incr_3 needs full_3
        assertThat(capped.keep()).hasSize(6);
        assertThat(capped.keptBecause()).containsEntry("full_3", "incr_3 depends on it");
    }

    @Test
    void theNewestVerifiedFullBackupIsNeverRemoved() {
        List<RotationPlanner.Node> nodes = List.of(
                new RotationPlanner.Node("full_old", BackupType.FULL, NOW.minus(Duration.ofDays(90)), null, true),
                new RotationPlanner.Node("full_unverified", BackupType.FULL, NOW.minus(Duration.ofDays(60)), null, false),
                new RotationPlanner.Node("incr_new", BackupType.INCREMENTAL, NOW.minus(Duration.ofDays(50)),
                        "full_unverified", false));
        RotationPlanner.Plan p = plan(nodes, 30, 100, 0, 0, 0, 0);
        assertThat(p.keep()).containsExactly("full_old", "full_unverified", "incr_new");
        assertThat(byId(p).get("full_old").rules()).containsExactly("newest verified full backup");
        assertThat(p.keptBecause()).containsEntry("full_old", "newest verified full backup")
                .containsEntry("incr_new", "newest backup");
    }
}
