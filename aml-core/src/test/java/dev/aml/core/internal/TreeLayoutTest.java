package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
            assertThat(store.root()).isEmpty();
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
    void aStoreThatOnlyNamesItsRootGetsFilesWhoseRewritesGoThroughIt() {
        List<Collection<Path>> rewrites = new ArrayList<>();
        MemoryStore inner = MemoryStore.inMemory();
        MemoryStore store = (MemoryStore) java.lang.reflect.Proxy.newProxyInstance(MemoryStore.class.getClassLoader(),
                new Class<?>[] {MemoryStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "root":
                            return Optional.of(root);
                        case "rewritingFilesInPlace":
                            @SuppressWarnings("unchecked") Collection<Path> fs = (Collection<Path>) args[0];
                            rewrites.add(fs);
                            return ((Supplier<?>) args[1]).get();
                        case "files":
                            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                        default:
                            return method.invoke(inner, args);
                    }
                });

        StoreFiles files = store.files().orElseThrow();
        String result = files.rewritingInPlace(List.of(root.resolve("a")), () -> "done");

        assertThat(files.root()).isEqualTo(root);
        assertThat(result).isEqualTo("done");
        assertThat(rewrites).containsExactly(List.of(root.resolve("a")));
    }
}
