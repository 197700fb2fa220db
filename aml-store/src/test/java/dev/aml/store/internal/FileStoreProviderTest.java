package dev.aml.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.Durability;
import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.StoreOptions;
import dev.aml.loom.CompressionCodec;
import dev.aml.store.FileMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreProviderTest {

    @TempDir
    Path dir;

    @Test
    void aPathOrFileUriOpensTheFileStoreWithTheOptionsGiven() throws Exception {
        Path root = Files.createDirectories(dir.resolve(".loom/memory"));
        try (MemoryStore store = MemoryStore.open(root.toString(), StoreOptions.builder()
                .durability(Durability.SYNC).setting("codec", "gzip").build())) {
            assertThat(store).isInstanceOf(FileMemoryStore.class);
            assertThat(((FileMemoryStore) store).codec()).isEqualTo(CompressionCodec.gzip());
            assertThat(store.files().map(StoreFiles::root)).contains(root);
        }
        try (MemoryStore store = MemoryStore.open(root.toUri().toString(),
                StoreOptions.builder().readOnly(true).build())) {
            assertThat(store.readOnly()).isTrue();
            assertThat(store.describe()).contains("read-only");
        }
    }

    @Test
    void onlyPathsAndFileUrisAreItsLocations() {
        FileStoreProvider p = new FileStoreProvider();

        assertThat(p.accepts("/srv/app/.loom/memory")).isTrue();
        assertThat(p.accepts(".loom/memory")).isTrue();
        assertThat(p.accepts("C:\\\\app\\\\memory")).isTrue();
        assertThat(p.accepts("file:///srv/memory")).isTrue();
        assertThat(p.accepts("jdbc:postgresql://h/db")).isFalse();
        assertThat(p.accepts("memory:")).isFalse();
        assertThat(p.accepts("")).isFalse();
    }

    @Test
    void unknownSettingsAndCodecsAreRefusedByName() {
        assertThatThrownBy(() -> MemoryStore.open(dir.toString(), StoreOptions.builder().setting("user", "u").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("[user]").hasMessageContaining("codec");
        assertThatThrownBy(() -> MemoryStore.open(dir.toString(), StoreOptions.builder().setting("codec", "zstd").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zstd")
                .hasMessageContaining("none, gzip or lz4");
    }
}
