package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.RotationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random histories of backups (full or incremental, verified or not, hours to weeks apart) with
 * rotations under random keep_last/daily/weekly/monthly, retention_days and max_backups: after every
 * rotation the dry run's decisions were what happened, every kept backup restores byte for byte, the
 * newest backup and the newest verified full backup are still there, and every backup a keep_last
 * rule names is kept.
 */
class RetentionPropertiesTest {

    /** One step: 0 full, 1-2 incremental, 3 rotate; then the clock moves on. */
    record Op(int kind, boolean verify, int hours, long seed) {
    }

    /** A rotation policy. */
    record Keep(int retentionDays, int maxBackups, int last, int daily, int weekly, int monthly) {
        BackupConfig apply(BackupConfig.Builder b) {
            return b.retentionDays(retentionDays).maxBackups(maxBackups).keepLast(last).keepDaily(daily)
                    .keepWeekly(weekly).keepMonthly(monthly).build();
        }
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(true, false),
                Arbitraries.of(1, 5, 20, 30, 60, 200, 400), Arbitraries.longs()).as(Op::new);
    }

    @Provide
    Arbitrary<Keep> policies() {
        return Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2)).as(Keep::new);
    }

    @Property(tries = 25)
    void rotationKeepsWhatItSaysAndEveryKeptBackupRestores(
            @ForAll @Size(min = 2, max = 14) List<@From("ops") Op> ops,
            @ForAll @Size(min = 1, max = 4) List<@From("policies") Keep> policies) throws IOException {
        Path tmp = Files.createTempDirectory("aml-retention");
        try {
            Path root = Trees.sample(tmp.resolve("memory"));
            MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
            Map<String, SortedMap<String, String>> bytesAt = new HashMap<>();
            int rotations = 0;
            for (int i = 0; i < ops.size() + 1; i++) {
                Op op = i < ops.size() ? ops.get(i) : new Op(3, true, 1, 0);
                BackupPropertiesTest.apply(root, new BackupPropertiesTest.Mutation((int) (op.seed() & 3),
                        ItemKind.values()[(int) ((op.seed() >>> 2) & 1)], 1 + (int) ((op.seed() >>> 3) & 3), false,
                        op.seed()));
                Keep keep = policies.get(rotations % policies.size());
                BackupEngine engine = new BackupEngine(MemoryStore.inMemory(), root, keep.apply(BackupConfig
                        .defaults().toBuilder().codec("none").verifyAfterBackup(op.verify())), clock,
                        ProgressListener.none());
                if (op.kind() == 0 || bytesAt.isEmpty()) {
                    BackupInfo b = engine.createFull("");
                    bytesAt.put(b.id(), Trees.backedUp(root));
                } else if (op.kind() < 3) {
                    BackupInfo b = engine.createIncremental("");
                    bytesAt.put(b.id(), Trees.backedUp(root));
                } else {
                    rotations++;
                    checkRotation(engine, keep, tmp.resolve("r" + i), bytesAt);
                }
                clock.advance(Duration.ofHours(op.hours()).plusSeconds(1));
            }
        } finally {
            BackupEngine.deleteTree(tmp);
        }
    }

    private static void checkRotation(BackupEngine engine, Keep keep, Path restoreDir,
            Map<String, SortedMap<String, String>> bytesAt) throws IOException {
        List<BackupInfo> before = engine.list();
        Optional<String> newest = before.stream().findFirst().map(BackupInfo::id);
        Optional<String> newestVerifiedFull = before.stream()
                .filter(b -> b.type() == BackupType.FULL && b.verified()).findFirst().map(BackupInfo::id);
        RotationReport plan = engine.rotate(true);
        assertThat(engine.list()).as("a dry run deletes nothing").hasSameSizeAs(before);
        assertThat(plan.decisions()).hasSameSizeAs(before);
        Set<String> planned = plan.decisions().stream().filter(RotationReport.Decision::keep)
                .map(RotationReport.Decision::backupId).collect(Collectors.toSet());
        assertThat(plan.decisions()).allMatch(d -> !d.rules().isEmpty());

        RotationReport done = engine.rotate(false);
        List<BackupInfo> left = engine.list();
        Set<String> leftIds = left.stream().map(BackupInfo::id).collect(Collectors.toSet());
        assertThat(leftIds).as("the dry run said what rotation did").isEqualTo(planned)
                .isEqualTo(Set.copyOf(done.kept()));
        newest.ifPresent(id -> assertThat(leftIds).contains(id));
        newestVerifiedFull.ifPresent(id -> assertThat(leftIds).as("newest verified full").contains(id));
        before.stream().limit(Math.min(keep.last(), keep.maxBackups())).forEach(b ->
                assertThat(leftIds).as("keep_last %d", keep.last()).contains(b.id()));
        Map<String, BackupInfo> byId = left.stream().collect(Collectors.toMap(BackupInfo::id, b -> b));
        int n = 0;
        for (BackupInfo b : left) {
            if (b.parentId() != null) {
                assertThat(byId).as("parent of kept %s", b.id()).containsKey(b.parentId());
            }
            Path target = restoreDir.resolve("t" + n++);
            engine.restore(b.id(), target);
            assertThat(Trees.snapshot(target)).as(b.id()).isEqualTo(bytesAt.get(b.id()));
        }
    }
}
