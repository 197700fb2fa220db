package dev.aml.maintenance.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sizes at rest the planner reads from all cores at once (space-based pruning). */
class FileSizesTest {

    @TempDir
    Path root;

    @Test
    void manyThreadsAskingForDifferentAgentsAtOnceGetEachAgentsBytes() throws Exception {
        int agents = 64;
        for (int a = 0; a < agents; a++) {
            Path dir = Files.createDirectories(root.resolve("agent" + a));
            Files.write(dir.resolve("patterns.json"), new byte[100 + a]);
        }
        for (int round = 0; round < 20; round++) {
            Snapshot.FileSizes sizes = new Snapshot.FileSizes(root);
            Map<Integer, OptionalLong> seen = new ConcurrentHashMap<>();
            List<Throwable> failures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int a = first; a < agents; a += 8) {
                            seen.put(a, sizes.agentBytes(AgentId.of("agent" + a)));
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            for (int a = 0; a < agents; a++) {
                assertThat(seen.get(a)).hasValue(100 + a);
            }
        }
    }

    @Test
    void aSizeIsMeasuredOnceAndThenRemembered() throws IOException {
        Path dir = Files.createDirectories(root.resolve("coder"));
        Files.write(dir.resolve("patterns.json"), new byte[10]);
        Snapshot.FileSizes sizes = new Snapshot.FileSizes(root);
        assertThat(sizes.agentBytes(AgentId.of("coder"))).hasValue(10);
        Files.write(dir.resolve("patterns.json"), new byte[20]);
        assertThat(sizes.agentBytes(AgentId.of("coder"))).hasValue(10);
    }
}
