package dev.aml.maintenance.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.Advice;
import dev.aml.maintenance.Advice.Action;
import dev.aml.maintenance.AdviceReport;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.MonitorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisorTest {

    static final double MIB = 1024 * 1024;

    @TempDir
    Path dir;

    Path root;
    QueryStats stats = new QueryStats(100, 2, 4, 90, 10);
    List<BackupInfo> backups = new ArrayList<>();
    final MutableClock clock = new MutableClock(TestItems.NOW, ZoneOffset.UTC);

    @BeforeEach
    void tree() throws IOException {
        root = Trees.layout(dir.resolve("memory"));
        Trees.index(root, TestItems.NOW.minus(Duration.ofHours(1)));
        backups.add(Trees.backup("full_1", TestItems.NOW.minus(Duration.ofHours(1)), true));
    }

    /** The agent limit (critical) is 1000 bytes; the agent holds {@code bytes}. */
    List<Advice.Step> adviseWithAgentOf(long bytes) throws IOException {
        Trees.solutionsOfSize(root, "coder", bytes);
        MonitorConfig c = MonitorConfig.builder().agentMemoryMb(500 / MIB, 1000 / MIB).build();
        HealthReport h = new DefaultMonitor(root, MemoryStore.inMemory(), clock, c, () -> stats,
                () -> List.copyOf(backups)).health();
        return Advisor.steps(h, c);
    }

    @Test
    void aHealthyTreeNeedsNothing() throws IOException {
        assertThat(adviseWithAgentOf(700)).isEmpty();
    }

    @Test
    void over70PercentPrunesTimeAndPerformanceAfterABackup() throws IOException {
        List<Advice.Step> steps = adviseWithAgentOf(701);
        assertThat(steps).extracting(Advice.Step::action).containsExactlyInAnyOrder(Action.PRUNE, Action.BACKUP);
        assertThat(steps.get(0).reason()).contains("agent coder").contains("over 70%");
    }

    @Test
    void over85PercentPrunesAggressively() throws IOException {
        assertThat(adviseWithAgentOf(851)).extracting(Advice.Step::action)
                .containsExactlyInAnyOrder(Action.PRUNE_AGGRESSIVE, Action.BACKUP);
    }

    @Test
    void slowQueriesRebuildTheIndexAndWarmTheCacheAndLowHitRateWarmsTheCache() throws IOException {
        stats = new QueryStats(100, 60, 90, 90, 10);
        assertThat(adviseWithAgentOf(100)).extracting(Advice.Step::action)
                .containsExactly(Action.REBUILD_INDEX, Action.WARM_CACHE);
        stats = new QueryStats(100, 2, 4, 50, 50);
        assertThat(adviseWithAgentOf(100)).extracting(Advice.Step::action).containsExactly(Action.WARM_CACHE);
    }

    @Test
    void aStaleBackupOrIndexIsAdvisedToo() throws IOException {
        backups.clear();
        Trees.index(root, TestItems.NOW.minus(Duration.ofDays(3)));
        assertThat(adviseWithAgentOf(100)).extracting(Advice.Step::action)
                .containsExactlyInAnyOrder(Action.BACKUP, Action.REBUILD_INDEX);
    }

    @Test
    void applyRunsBackupFirstAndNeverPrunesAfterAFailedBackup() throws IOException {
        List<Advice.Step> steps = adviseWithAgentOf(900);
        stats = new QueryStats(100, 60, 90, 90, 10);
        List<Advice.Step> all = new ArrayList<>(adviseWithAgentOf(900));
        HealthReport basis = new DefaultMonitor(root, MemoryStore.inMemory(), clock, MonitorConfig.defaults(),
                () -> stats, List::of).health();
        List<Action> ran = new ArrayList<>();
        Advice ok = new Advice(basis, all, s -> {
            ran.add(s.action());
            return "did " + s.action();
        });
        assertThat(ok.steps()).extracting(Advice.Step::action).containsExactly(Action.BACKUP,
                Action.PRUNE_AGGRESSIVE, Action.REBUILD_INDEX, Action.WARM_CACHE);
        assertThat(ok.apply().succeeded()).isTrue();
        assertThat(ran).containsExactly(Action.BACKUP, Action.PRUNE_AGGRESSIVE, Action.REBUILD_INDEX,
                Action.WARM_CACHE);

        ran.clear();
        AdviceReport failed = new Advice(basis, steps, s -> {
            ran.add(s.action());
            if (s.action() == Action.BACKUP) {
                throw new IllegalStateException("disk full");
            }
            return "ok";
        }).apply();
        assertThat(ran).containsExactly(Action.BACKUP);
        assertThat(failed.results()).extracting(AdviceReport.StepResult::outcome)
                .containsExactly(AdviceReport.Outcome.FAILED, AdviceReport.Outcome.SKIPPED);
        assertThat(failed.results().get(0).summary()).isEqualTo("disk full");
        assertThat(failed.succeeded()).isFalse();
    }
}
