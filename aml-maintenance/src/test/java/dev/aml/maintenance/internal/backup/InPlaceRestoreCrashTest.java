package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17: {@code backup restore --backup-id ID} without {@code --target} is killed ({@code kill -9}
 * of a child JVM) at points spread over the whole restore: its safety backup, the staging of the
 * non-item files, the commit of the items, the moves. Whatever the point, the tree read afterwards
 * (items and the other files) is exactly the state before the restore or exactly the backup's,
 * never a mix, and opening it says which and how to undo or redo. A normal build tries a handful of
 * points (each phase of the restore); {@code -Pcrash} ({@code aml.crash.killPoints}) tries many
 * random ones.
 */
class InPlaceRestoreCrashTest {

    /** The non-item files whose bytes the test compares (changed between backup and restore). */
    private static final List<String> FILES = List.of("global/index.json", "config/schema_version.json");

    @TempDir
    Path tmp;

    /** A kill point: the n-th step of the restore proper (after the safety backup), or, if n <= 0, of the backup. */
    static List<Integer> killPoints() {
        int configured = Integer.getInteger("aml.crash.killPoints", 20);
        if (configured <= 20) {
            return List.of(-5, 1, 3, 4, 6); // safety backup, staged, committed, checkpointed, moved
        }
        Random r = new Random(17);
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < configured / 10; i++) {
            points.add(r.nextInt(27) - 20); // 20 points in the safety backup, the 7 steps of the restore
        }
        return points;
    }

    /** What the tree holds, read the way aml reads it. */
    record State(Map<String, List<MemoryItem>> items, Map<String, String> files) {
    }

    /** Opens the tree for writing (which recovers), reads its state, and returns what opening said. */
    static State state(Path root, List<String> said) throws IOException {
        Map<String, List<MemoryItem>> items = new TreeMap<>();
        try (MemoryManager aml = MemoryManager.open(root)) {
            aml.restoreRecovery().ifPresent(said::add);
            for (dev.aml.core.AgentId agent : aml.store().agents()) {
                for (ItemKind kind : ItemKind.values()) {
                    List<MemoryItem> list = aml.store().items(agent, kind);
                    if (!list.isEmpty()) {
                        items.put(agent + "/" + kind.fileName(), list);
                    }
                }
            }
        }
        Map<String, String> files = new TreeMap<>();
        for (String f : FILES) {
            Path p = root.resolve(f);
            files.put(f, Files.exists(p) ? Files.readString(p) : "<absent>");
        }
        return new State(items, files);
    }

    @ParameterizedTest
    @MethodSource("killPoints")
    void killedInPlaceRestoreLeavesTheOldOrTheRestoredTreeAndSaysWhich(int killAt) throws Exception {
        Path root = BackupCrashTest.tree(tmp.resolve("memory"), 3, 50);
        BackupInfo b = new BackupEngine(MemoryStore.inMemory(), root, BackupConfig.defaults(), Clock.systemUTC(),
                ProgressListener.none()).createFull("");
        State atBackup = state(root, new ArrayList<>());
        // change the live memory after the backup: items and the other files
        Files.delete(root.resolve("agent0/patterns.json"));
        Trees.writeItems(root, "agent1", ItemKind.PATTERN, List.of(TestItems.pattern("new", "agent1")));
        Trees.write(root.resolve("global/index.json"), "{\"entries\":[{\"id\":\"new\"}]}");
        Trees.write(root.resolve("config/schema_version.json"), "{\"version\":\"1.1.0\"}");
        State before = state(root, new ArrayList<>());
        assertThat(before.items()).isNotEqualTo(atBackup.items());
        assertThat(before.files()).isNotEqualTo(atBackup.files());

        Kill kill = runAndKill(killAt, root, b.id());
        boolean marked = Files.exists(root.resolve("global").resolve(InPlaceRestoreJournal.MARKER));

        List<String> said = new ArrayList<>();
        State after = state(root, said);
        assertThat(after).as("kill at %s (%s)", killAt, kill).satisfiesAnyOf(
                s -> assertThat(s).isEqualTo(before), s -> assertThat(s).isEqualTo(atBackup));
        if (kill.finished()) {
            assertThat(after).isEqualTo(atBackup);
        }
        if (marked) {
            assertThat(said).singleElement().asString().contains(b.id());
            if (after.equals(atBackup)) {
                assertThat(said.get(0)).contains("has now been finished").contains("To undo it")
                        .contains("backup restore --backup-id ");
            } else {
                assertThat(said.get(0)).contains("rolled back").contains("backup restore --backup-id " + b.id());
            }
        } else {
            assertThat(said).isEmpty();
        }
        assertThat(root.resolve("global").resolve(InPlaceRestoreJournal.MARKER)).doesNotExist();
        assertThat(root.resolve("global").resolve(InPlaceRestoreJournal.STAGING)).doesNotExist();
        // and a second open has nothing left to say
        List<String> again = new ArrayList<>();
        assertThat(state(root, again)).isEqualTo(after);
        assertThat(again).isEmpty();
    }

    /** How the child ended: finished, or killed after a step. */
    record Kill(boolean finished, Optional<String> lastStep) {
    }

    /**
     * Runs {@link CrashChild} {@code inplace} and kills it right after it was let go past the chosen
     * step: the {@code killAt}-th step of the restore proper, or for {@code killAt <= 0} the
     * {@code (1 - killAt)}-th step of the whole run (inside the safety backup).
     */
    static Kill runAndKill(int killAt, Path root, String id) throws IOException, InterruptedException {
        int[] all = {0};
        int[] restore = {0};
        String[] last = {null};
        boolean finished = BackupCrashTest.run(line -> {
            all[0]++;
            if (line.startsWith("STEP restore")) {
                restore[0]++;
            }
            last[0] = line;
            return killAt > 0 ? restore[0] == killAt : all[0] == 1 - killAt;
        }, "inplace", root.toString(), id);
        return new Kill(finished, Optional.ofNullable(last[0]));
    }
}
