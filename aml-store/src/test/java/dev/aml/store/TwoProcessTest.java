package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer in another JVM holds the tree: a second writer is refused, a reader sees only whole batches. */
class TwoProcessTest {

    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedAndAReaderSeesConsistentData() throws Exception {
        Path root = dir.resolve("memory");
        AgentId coder = StoreChild.AGENTS[0];
        try (ChildJvm writer = new ChildJvm(dir.resolve("writer.err"), "hold", root.toString())) {
            String pid = writer.await("READY").split(" ")[1];

            assertThatThrownBy(() -> FileMemoryStore.open(root))
                    .isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("global/aml.lock")
                    .hasMessageContaining("pid " + pid);

            writer.send("write");
            int maxSeen = 0;
            // at least 40 reads; on a loaded machine keep reading (up to a minute) until the writer's
            // progress shows, instead of failing because the child had not been scheduled yet
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
            for (int i = 0; i < 40 || (maxSeen <= 2 && System.nanoTime() < deadline); i++) {
                try (FileMemoryStore reader = FileMemoryStore.builder(root).readOnly(true).open()) {
                    Set<String> ids = reader.items(coder, ItemKind.PATTERN).stream().map(MemoryItem::id)
                            .collect(Collectors.toSet());
                    for (String id : ids) {
                        String partner = (id.startsWith("a-") ? "b-" : "a-") + id.substring(2);
                        assertThat(ids).as("reader %d saw %s without %s", i, id, partner).contains(partner);
                    }
                    assertThat(ids).contains("a-0", "b-0");
                    maxSeen = Math.max(maxSeen, ids.size());
                    assertThat(reader.unreadableAgents()).isEmpty();
                }
            }
            writer.send("stop");
            writer.await("CLOSED");
            assertThat(maxSeen).as("the reader saw the writer's progress").isGreaterThan(2);
        }
        try (FileMemoryStore next = FileMemoryStore.open(root)) {
            assertThat(next.items(coder, ItemKind.PATTERN).size() % 2).isZero();
        }
    }
}
