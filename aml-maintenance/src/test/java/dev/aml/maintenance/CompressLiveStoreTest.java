package dev.aml.maintenance;

import static dev.aml.maintenance.Fixtures.healthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.ItemKind;
import dev.aml.maintenance.internal.io.AtomicFiles;
import dev.aml.store.FileMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressLiveStoreTest {

    @TempDir
    Path tmp;

    /** The CLI's case: open, compress, close; the next open reads the gzip file. */
    @Test
    void compressThenCloseLeavesAReadableTree() throws Exception {
        Path root = tmp.resolve("memory");
        AgentId coder = AgentId.of("coder");
        try (MemoryManager aml = MemoryManager.builder().memoryRoot(root).build()) {
            aml.store().apply(List.of(Change.upsert(coder, healthy("a", "coder", 1))));
            aml.store().checkpoint();
            assertThat(aml.optimize().all().ok()).isTrue();
            assertThat(aml.optimize().compress(0).count("files_compressed")).isEqualTo(1);
            assertThat(AtomicFiles.isGzip(Files.readAllBytes(root.resolve("coder/patterns.json")))).isTrue();
        }
        try (FileMemoryStore again = FileMemoryStore.open(root)) {
            assertThat(again.items(coder, ItemKind.PATTERN)).extracting(i -> i.id()).containsExactly("a");
            again.apply(List.of(Change.upsert(coder, healthy("b", "coder", 1))));
        }
        try (FileMemoryStore again = FileMemoryStore.open(root)) {
            assertThat(again.items(coder, ItemKind.PATTERN)).extracting(i -> i.id()).containsExactly("a", "b");
        }
    }

    /**
     * A live file store adopts the files optimize compressed (it runs through
     * {@code StoreFiles.rewritingInPlace} of {@code MemoryStore.files()}), so writing the agent again checkpoints normally.
     */
    @Test
    void writesAfterCompressingALiveFileStoreCheckpointNormally() throws Exception {
        Path root = tmp.resolve("memory");
        AgentId coder = AgentId.of("coder");
        try (MemoryManager aml = MemoryManager.builder().memoryRoot(root).build()) {
            aml.store().apply(List.of(Change.upsert(coder, healthy("a", "coder", 1))));
            aml.store().checkpoint();
            assertThat(aml.optimize().compress(0).count("files_compressed")).isEqualTo(1);
            assertThat(AtomicFiles.isGzip(Files.readAllBytes(root.resolve("coder/patterns.json")))).isTrue();
            aml.store().apply(List.of(Change.upsert(coder, healthy("b", "coder", 1))));
            aml.store().checkpoint();
            assertThat(aml.agent("coder").patterns().get("b")).isPresent();
        }
        try (FileMemoryStore again = FileMemoryStore.open(root)) {
            assertThat(again.items(coder, ItemKind.PATTERN)).extracting(i -> i.id()).containsExactly("a", "b");
        }
    }

    /** Compression never launders another program's edit: it refuses, and the edited file stays as it is. */
    @Test
    void compressRefusesAFileAnotherProgramChangedAndLeavesItAlone() throws Exception {
        Path root = tmp.resolve("memory");
        AgentId coder = AgentId.of("coder");
        Path file = root.resolve("coder/patterns.json");
        try (MemoryManager aml = MemoryManager.builder().memoryRoot(root).build()) {
            aml.store().apply(List.of(Change.upsert(coder, healthy("a", "coder", 1))));
            aml.store().checkpoint();
            byte[] edited = (Files.readString(file) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Files.write(file, edited);

            assertThatThrownBy(() -> aml.optimize().compress(0))
                    .isInstanceOf(ConcurrentOperationException.class)
                    .hasMessageContaining("Another program changed").hasMessageContaining(file.toString());
            assertThat(Files.readAllBytes(file)).isEqualTo(edited);
        }
    }
}
