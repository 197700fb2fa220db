package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.BackupException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.RotationReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A child JVM is killed ({@code destroyForcibly}) while it backs up or restores. The live tree must
 * be untouched, a backup complete (and good) or listed as incomplete and ignored, and a restore
 * target either absent or complete. Kill points are spread over every file of the operation
 * (backup, its verification, restore); {@code -Daml.crash.killPoints} (the {@code crash} profile)
 * raises their number.
 */
class BackupCrashTest {

    @TempDir
    Path tmp;

    static List<Integer> killPoints() {
        int configured = Integer.getInteger("aml.crash.killPoints", 20);
        int n = configured <= 20 ? 3 : configured / 10; // a few in a normal build, many with -Pcrash
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(1 + (int) ((long) i * 37 % 40)); // spread over the ~40 steps of backup + verify
        }
        return points;
    }

    Path tree() {
        return tree(tmp.resolve("memory"), 6, 200);
    }

    /** A Loom tree of {@code agents} agents with {@code patterns} patterns, a solution and a decision each. */
    static Path tree(Path root, int agents, int patterns) {
        for (int a = 0; a < agents; a++) {
            String agent = "agent" + a;
            List<MemoryItem> items = new ArrayList<>();
            for (int i = 0; i < patterns; i++) {
                items.add(TestItems.pattern(agent + "-p" + i, agent));
            }
            Trees.writeItems(root, agent, ItemKind.PATTERN, items);
            Trees.writeItems(root, agent, ItemKind.SOLUTION, List.of(TestItems.solution(agent + "-s", agent, true)));
            Trees.writeItems(root, agent, ItemKind.DECISION, List.of(TestItems.decision(agent + "-d", agent, true)));
        }
        Trees.write(root.resolve("global/index.json"), "{\"entries\":[]}");
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.0.0\"}");
        return root;
    }

    /** Runs the child and kills it right after it was let go past step {@code killAt}. */
    static boolean runAndKill(int killAt, String... args) throws IOException, InterruptedException {
        int[] steps = {0};
        return run(line -> ++steps[0] == killAt, args);
    }

    /**
     * Runs {@link CrashChild} with {@code args}, letting it go past each {@code STEP} line, and kills it
     * right after the step for which {@code killAfter} (called once per step line, in order) says so.
     *
     * @return whether the child finished before that
     */
    static boolean run(java.util.function.Predicate<String> killAfter, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        boolean finished = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("DONE")) {
                    finished = true;
                    break;
                }
                if (line.startsWith("STEP ")) {
                    in.write("go\n");
                    in.flush();
                    if (killAfter.test(line)) {
                        p.destroyForcibly(); // the child is now somewhere in writing the next file
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the pipe broke because the child died: that is the point
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return finished;
    }

    BackupEngine parentEngine(Path root) {
        return new BackupEngine(MemoryStore.inMemory(), root, BackupConfig.defaults(), Clock.systemUTC(),
                ProgressListener.none());
    }

    @ParameterizedTest
    @MethodSource("killPoints")
    void killedBackupLeavesTheTreeIntactAndTheBackupCompleteOrMarkedIncomplete(int killAt) throws Exception {
        Path root = tree();
        var before = Trees.snapshot(root);

        boolean finished = runAndKill(killAt, "backup", root.toString());

        assertThat(Trees.snapshot(root)).isEqualTo(before);
        BackupEngine engine = parentEngine(root);
        List<BackupInfo> list = engine.list();
        assertThat(list).hasSizeLessThanOrEqualTo(1);
        if (finished) {
            assertThat(list).singleElement().matches(BackupInfo::complete);
        }
        for (BackupInfo b : list) {
            if (b.complete()) {
                assertThat(engine.verify(b.id(), false).problems()).isEmpty();
                engine.restore(b.id(), tmp.resolve("restored"));
                assertThat(Trees.snapshot(tmp.resolve("restored"))).isEqualTo(Trees.backedUp(root));
            } else {
                assertThatThrownBy(() -> engine.restore(b.id(), tmp.resolve("restored")))
                        .isInstanceOf(BackupException.class).hasMessageContaining("cannot be restored");
                RotationReport rot = engine.rotate(false);
                assertThat(rot.incomplete()).containsExactly(b.id());
                assertThat(b.path()).exists();
                BackupInfo next = engine.createIncremental("");
                assertThat(next.parentId()).isNull(); // nothing builds on the broken one
            }
        }
    }

    static java.util.Map<String, List<MemoryItem>> storeItems(Path root) {
        java.util.Map<String, List<MemoryItem>> out = new java.util.TreeMap<>();
        try (dev.aml.maintenance.MemoryManager aml = dev.aml.maintenance.MemoryManager.open(root)) {
            for (dev.aml.core.AgentId agent : aml.store().agents()) {
                for (ItemKind kind : ItemKind.values()) {
                    List<MemoryItem> items = aml.store().items(agent, kind);
                    if (!items.isEmpty()) {
                        out.put(agent + "/" + kind.fileName(), items);
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("killPoints")
    void killedInPlaceRestoreLeavesTheOldOrTheRestoredItems(int killAt) throws Exception {
        Path root = tree();
        BackupInfo b = parentEngine(root).createFull("");
        var atBackup = storeItems(root);
        // change the live memory: one agent gone, one changed
        Files.delete(root.resolve("agent0/patterns.json"));
        Trees.writeItems(root, "agent1", ItemKind.PATTERN, List.of(TestItems.pattern("new", "agent1")));
        var live = storeItems(root);
        assertThat(live).isNotEqualTo(atBackup);

        // steps: safety backup (20 files), its verification (20), items replaced (41), checkpointed (42);
        // early kill points land in the safety backup, later ones right after the store took the items
        int step = killAt <= 20 ? killAt : 41 + killAt % 2;
        boolean finished = runAndKill(step, "inplace", root.toString(), b.id());

        var after = storeItems(root);
        if (finished) {
            assertThat(after).isEqualTo(atBackup);
        } else {
            assertThat(after).satisfiesAnyOf(a -> assertThat(a).isEqualTo(live),
                    a -> assertThat(a).isEqualTo(atBackup));
        }
    }

    @ParameterizedTest
    @MethodSource("killPoints")
    void killedRestoreLeavesTheTargetAbsentOrComplete(int killAt) throws Exception {
        Path root = tree();
        var before = Trees.snapshot(root);
        BackupInfo b = parentEngine(root).createFull("");
        Path target = tmp.resolve("target");

        boolean finished = runAndKill(Math.max(1, killAt % 22), "restore", root.toString(), b.id(),
                target.toString());

        assertThat(Trees.snapshot(root)).isEqualTo(before);
        if (finished) {
            assertThat(target).exists();
        }
        if (Files.exists(target)) {
            assertThat(Trees.snapshot(target)).isEqualTo(Trees.backedUp(root));
        }
        // a new attempt works whatever the child left behind
        parentEngine(root).restore(b.id(), tmp.resolve("again"));
        assertThat(Trees.snapshot(tmp.resolve("again"))).isEqualTo(Trees.backedUp(root));
    }
}
