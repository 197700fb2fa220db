package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeLayoutTest {

    @TempDir
    Path root;

    @Test
    void aStoreWithoutFilesHasNoFileCapability() {
        try (MemoryStore store = MemoryStore.inMemory()) {
            assertThat(store.files()).isEmpty();
        }
    }

    @Test
    void theLayoutListsAgentFoldersAndTheItemFilesPresentInKindOrder() throws Exception {
        Files.createDirectories(root.resolve("coder"));
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("analyst"));
        Files.writeString(root.resolve("coder/decisions.json"), "[]");
        Files.writeString(root.resolve("coder/patterns.json.gz"), "x");
        Files.writeString(root.resolve("coder/patterns.json"), "[]");
        Files.writeString(root.resolve("notes.txt"), "");
        try (MemoryStore store = MemoryStore.inMemory()) {
            StoreFiles files = StoreFiles.of(root, store);

            assertThat(files.agentFolders()).containsExactly("analyst", "coder");
            assertThat(files.itemFile(AgentId.of("coder"), ItemKind.SOLUTION)).isEqualTo(root.resolve("coder/solutions.json"));
            assertThat(files.itemFiles(AgentId.of("coder"))).extracting(StoreFiles.ItemFile::path).containsExactly(
                    root.resolve("coder/patterns.json"), root.resolve("coder/patterns.json.gz"),
                    root.resolve("coder/decisions.json"));
            assertThat(files.itemFiles(AgentId.of("analyst"))).isEmpty();
        }
    }

    @Test
    void aTreeTheStoreDoesNotOwnRewritesAndCopiesQuiescedOnIt() {
        List<String> quiesced = new ArrayList<>();
        MemoryStore inner = MemoryStore.inMemory();
        MemoryStore store = (MemoryStore) java.lang.reflect.Proxy.newProxyInstance(MemoryStore.class.getClassLoader(),
                new Class<?>[] {MemoryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("quiesced")) {
                        quiesced.add("quiesced");
                        return ((Supplier<?>) args[0]).get();
                    }
                    return method.invoke(inner, args);
                });

        StoreFiles files = StoreFiles.of(root, store);
        String rewritten = files.rewritingInPlace(List.of(root.resolve("a")), () -> "rewritten");
        String copied = files.consistentCopy(() -> "copied");

        assertThat(files.root()).isEqualTo(root);
        assertThat(rewritten).isEqualTo("rewritten");
        assertThat(copied).isEqualTo("copied");
        assertThat(quiesced).hasSize(2);
        assertThat(store.files()).as("the store itself still has no files").isEmpty();
    }
}
