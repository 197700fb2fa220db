package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.Durability;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.CompressionCodec;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryManagerFileStoreTest {

    @TempDir
    Path dir;

    @Test
    void openRecordsLearnsAndFindsItAgainAfterReopen() throws IOException {
        Path root = dir.resolve(".loom/memory");
        String id;
        try (MemoryManager aml = MemoryManager.open(root)) {
            assertThat(aml.root()).contains(root.toAbsolutePath().normalize());
            assertThat(aml.store()).isInstanceOf(FileMemoryStore.class);
            Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
            aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.success());
            id = p.id();
        }
        String json = Files.readString(root.resolve("coder/patterns.json"), StandardCharsets.UTF_8);
        assertThat(json).contains(id).contains("\"executionCount\"");
        try (MemoryManager aml = MemoryManager.open(root)) {
            assertThat(aml.query(MemoryQuery.patterns().tags("http"))).singleElement()
                    .satisfies(item -> {
                        assertThat(item.id()).isEqualTo(id);
                        assertThat(item.executionCount()).isEqualTo(2);
                    });
        }
    }

    @Test
    void durabilityAndCodecReachTheFileStore() throws IOException {
        Path root = dir.resolve("m");
        try (MemoryManager aml = MemoryManager.builder().memoryRoot(root).durability(Durability.SYNC)
                .codec(CompressionCodec.gzip()).clock(new MutableClock(TestItems.NOW)).build()) {
            FileMemoryStore store = (FileMemoryStore) aml.store();
            assertThat(store.durability()).isEqualTo(Durability.SYNC);
            aml.agent("coder").decisions().record(DecisionDraft.of("api", "REST?", "yes"));
        }
        byte[] head = Files.readAllBytes(root.resolve("coder/decisions.json"));
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
    }

    @Test
    void aSecondWriterIsRefused() {
        Path root = dir.resolve("m");
        try (MemoryManager aml = MemoryManager.open(root)) {
            assertThatThrownBy(() -> MemoryManager.open(root)).isInstanceOf(ConcurrentOperationException.class);
            assertThat(aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()))).isNotNull();
        }
    }
}
