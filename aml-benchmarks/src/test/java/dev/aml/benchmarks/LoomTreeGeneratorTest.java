package dev.aml.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree {@code benchmarks/cli.sh} times: the shape it promises, readable by the store, reproducible. */
class LoomTreeGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void writesAgentsTimesItemsPatternsAndAThirdAsManySolutionsAndDecisionsThatTheStoreReads(@TempDir Path dir)
            throws IOException {
        long bytes = LoomTreeGenerator.generate(dir.resolve(".loom"), 3, 30, 16, NOW);
        Path memory = dir.resolve(".loom").resolve("memory");
        assertThat(bytes).isPositive();
        try (MemoryStore store = MemoryStore.open(memory, StoreOptions.builder().readOnly(true).build())) {
            assertThat(store.agents()).extracting(AgentId::name).containsExactly("agent00", "agent01", "agent02");
            assertThat(store.unreadableAgents()).isEmpty();
            for (AgentId agent : store.agents()) {
                assertThat(store.items(agent, ItemKind.PATTERN)).hasSize(30);
                assertThat(store.items(agent, ItemKind.SOLUTION)).hasSize(10);
                assertThat(store.items(agent, ItemKind.DECISION)).hasSize(10);
            }
        }
    }

    @Test
    void theSameSeedAndTimeGiveTheSameBytes(@TempDir Path dir) throws IOException {
        LoomTreeGenerator.generate(dir.resolve("a"), 1, 20, 7, NOW);
        LoomTreeGenerator.generate(dir.resolve("b"), 1, 20, 7, NOW);
        Path file = Path.of("memory", "agent00", "patterns.json");
        assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
                .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
    }

    @Test
    void refusesBadShapesAndAnExistingTreeWithoutTouchingIt(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> LoomTreeGenerator.generate(dir.resolve("x"), 0, 10, 1, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agents must be >= 1");
        LoomTreeGenerator.generate(dir.resolve("y"), 1, 5, 1, NOW);
        byte[] before = Files.readAllBytes(dir.resolve("y/memory/agent00/patterns.json"));
        assertThatThrownBy(() -> LoomTreeGenerator.generate(dir.resolve("y"), 1, 5, 2, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(dir.resolve("y/memory/agent00/patterns.json"))).isEqualTo(before);
    }
}
