package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.loom.LoomJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@code destroyForcibly}, i.e. SIGKILL) at random moments, including
 * during checkpoints and journal trims, and checks after each kill that every write the child had
 * acknowledged is there and the tree is readable. The number of kills comes from the system
 * property {@code aml.crash.killPoints} (20 in a normal build, 500 with {@code -Pcrash}).
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesAKillAtAnyMoment() throws Exception {
        int killPoints = Integer.getInteger("aml.crash.killPoints", 20);
        long seed = Long.getLong("aml.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path root = dir.resolve("memory");
        Map<String, AgentId> added = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        Set<String> maybeDeleted = new HashSet<>();
        Map<String, Long> minExecutions = new HashMap<>();
        int acknowledged = 0;

        for (int round = 0; round < killPoints; round++) {
            try {
                acknowledged += round(root, round, random, seed, added, deleted, maybeDeleted, minExecutions);
            } catch (AssertionError | RuntimeException e) {
                Path keep = Files.createTempDirectory("aml-crash-evidence");
                FileMemoryStoreTest.copyTree(dir, keep);
                throw new AssertionError(e.getMessage() + "\n(tree and child output kept in " + keep + ")", e);
            }
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(killPoints);
    }

    private int round(Path root, int round, Random random, long seed, Map<String, AgentId> added, Set<String> deleted,
            Set<String> maybeDeleted, Map<String, Long> minExecutions) throws Exception {
        int acknowledged = 0;
        Path stderr = dir.resolve("child-" + round + ".err");
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = new ChildJvm(stderr, "crash", root.toString(), Integer.toString(round),
                Long.toString(random.nextLong()))) {
            child.await("OPEN");
            int acksBeforeKill = 1 + random.nextInt(60);
            for (int seen = 0; seen < acksBeforeKill; ) {
                String line = child.lines.poll(300, TimeUnit.SECONDS);
                assertThat(line).as("child output (seed %d, stderr %s)", seed, stderr).isNotNull()
                        .isNotEqualTo(ChildJvm.EOF);
                lines.add(line);
                if (line.startsWith("ACK ")) {
                    seen++;
                }
            }
            // vary the kill moment within the next write or checkpoint (not a synchronisation wait)
            LockSupport.parkNanos(random.nextInt(3_000_000));
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
            // child's stdout and drop lines it printed just before dying (e.g. a BEGIN DEL)
            assertThat(child.process.toHandle().destroyForcibly()).isTrue();
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (String line = child.lines.poll(60, TimeUnit.SECONDS); !ChildJvm.EOF.equals(line);
                    line = child.lines.poll(60, TimeUnit.SECONDS)) {
                assertThat(line).as("the killed child's remaining output (every line counts)").isNotNull();
                lines.add(line);
            }
        }
        Files.write(dir.resolve("child-" + round + ".out"), lines);
        for (String line : lines) {
            if (!line.endsWith(" END")) {
                continue; // cut off by the kill: not acknowledged
            }
            String[] f = line.split(" ");
            switch (f[0] + " " + f[1]) {
                case "ACK ADD" -> added.put(f[3], AgentId.of(f[2]));
                case "ACK UPD" -> minExecutions.merge(f[3], Long.parseLong(f[4]), Math::max);
                case "ACK DEL" -> deleted.add(f[3]);
                case "BEGIN DEL" -> maybeDeleted.add(f[3]);
                default -> { }
            }
            if (f[0].equals("ACK")) {
                acknowledged++;
            }
        }
        Path evidence = dir.resolve("before-verify-" + round);
        FileMemoryStoreTest.copyTree(root, evidence);
        deleteOlderEvidence(round);
        verify(root, added, deleted, maybeDeleted, minExecutions, "round " + round + ", seed " + seed);
        return acknowledged;
    }

    private void deleteOlderEvidence(int round) throws java.io.IOException {
        Path old = dir.resolve("before-verify-" + (round - 2));
        if (Files.exists(old)) {
            try (java.util.stream.Stream<Path> paths = Files.walk(old)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void verify(Path root, Map<String, AgentId> added, Set<String> deleted, Set<String> maybeDeleted,
            Map<String, Long> minExecutions, String context) throws Exception {
        Map<AgentId, List<MemoryItem>> before = new HashMap<>();
        try (FileMemoryStore store = FileMemoryStore.open(root)) {
            assertThat(store.unreadableAgents()).as(context).isEmpty();
            for (Map.Entry<String, AgentId> e : added.entrySet()) {
                Optional<MemoryItem> item = store.find(e.getValue(), ItemKind.PATTERN, e.getKey());
                if (deleted.contains(e.getKey())) {
                    assertThat(item).as("%s: acknowledged delete of %s", context, e.getKey()).isEmpty();
                } else if (!maybeDeleted.contains(e.getKey())) {
                    assertThat(item).as("%s: acknowledged add of %s", context, e.getKey()).isPresent();
                    Long min = minExecutions.get(e.getKey());
                    if (min != null) {
                        assertThat(item.get().executionCount()).as("%s: updates of %s", context, e.getKey())
                                .isGreaterThanOrEqualTo(min);
                    }
                }
            }
            for (AgentId agent : store.agents()) {
                before.put(agent, store.items(agent, ItemKind.PATTERN));
            }
        }
        // after close the JSON files alone hold the truth
        for (Map.Entry<AgentId, List<MemoryItem>> e : before.entrySet()) {
            Path file = root.resolve(e.getKey().name()).resolve("patterns.json");
            List<MemoryItem> onDisk = Files.exists(file) ? LoomJson.defaults().read(file, ItemKind.PATTERN) : List.of();
            assertThat(onDisk).as(context).isEqualTo(e.getValue());
        }
    }
}
