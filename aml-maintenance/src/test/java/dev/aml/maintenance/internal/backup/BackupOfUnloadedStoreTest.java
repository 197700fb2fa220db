package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.StoreFiles;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.ProgressListener;
import dev.aml.maintenance.VerifyReport;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a file store that has not read its item files (a backup command on a cleanly closed
 * tree) counts each file's items from the bytes it backs up, with the store's reader: the counts are
 * the ones a loaded store gives, an unreadable file's is unknown, and verify's drill agrees.
 */
class BackupOfUnloadedStoreTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId TESTER = AgentId.of("tester");

    @TempDir
    Path tmp;

    @Test
    void countsComeFromTheBackedUpBytesAndMatchALoadedStore() throws IOException {
        Path root = tmp.resolve("memory");
        try (FileMemoryStore store = FileMemoryStore.open(root)) {
            store.apply(List.of(Change.upsert(CODER, TestItems.pattern("p1", "coder")),
                    Change.upsert(CODER, TestItems.pattern("p2", "coder")),
                    Change.upsert(CODER, TestItems.decision("d1", "coder", true)),
                    Change.upsert(TESTER, TestItems.pattern("p3", "tester")),
                    Change.upsert(TESTER, TestItems.solution("s1", "tester", true))));
        }
        Path bad = root.resolve("tester/solutions.json");
        byte[] damaged = "[{\"id\": \"s1\"}, {\"id\": ".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, damaged);

        Map<String, Manifest.FileEntry> unloaded;
        try (FileMemoryStore store = FileMemoryStore.open(root)) {
            BackupEngine engine = new BackupEngine(store, root, BackupConfig.defaults(), Clock.systemUTC(),
                    ProgressListener.none());
            BackupInfo info = engine.createFull("unloaded");
            assertThat(store.files().map(StoreFiles::itemsLoaded).orElseThrow())
                    .as("the backup did not make the store decode the tree").isFalse();
            unloaded = manifest(info).files();
            VerifyReport report = engine.verify(info.id(), true);
            assertThat(report.ok()).as(String.join("; ", report.problems())).isTrue();

            // the same bytes backed up by the loaded store give the same counts, the unreadable file's included
            store.items(CODER, dev.aml.core.ItemKind.PATTERN);
            assertThat(store.files().map(StoreFiles::itemsLoaded).orElseThrow()).isTrue();
            Map<String, Manifest.FileEntry> loadedWithDamage = manifest(engine.createFull("loaded")).files();
            for (String rel : List.of("coder/patterns.json", "coder/decisions.json", "tester/patterns.json",
                    "tester/solutions.json")) {
                assertThat(loadedWithDamage.get(rel).items()).as(rel).isEqualTo(unloaded.get(rel).items());
            }
        }
        assertThat(unloaded.get("coder/patterns.json").items()).isEqualTo(2);
        assertThat(unloaded.get("coder/decisions.json").items()).isEqualTo(1);
        assertThat(unloaded.get("tester/patterns.json").items()).isEqualTo(1);
        assertThat(unloaded.get("tester/solutions.json").items()).as("unreadable: unknown").isEqualTo(-1);
        assertThat(Files.readAllBytes(bad)).isEqualTo(damaged);

        Files.delete(bad);
        try (FileMemoryStore store = FileMemoryStore.open(root)) {
            store.agents();
            store.items(CODER, dev.aml.core.ItemKind.PATTERN); // loaded: counts come from the store
            BackupEngine engine = new BackupEngine(store, root, BackupConfig.defaults(), Clock.systemUTC(),
                    ProgressListener.none());
            Map<String, Manifest.FileEntry> loaded = manifest(engine.createFull("loaded")).files();
            for (String rel : List.of("coder/patterns.json", "coder/decisions.json", "tester/patterns.json")) {
                assertThat(loaded.get(rel).items()).as(rel).isEqualTo(unloaded.get(rel).items());
            }
        }
    }

    private static Manifest manifest(BackupInfo info) throws IOException {
        return Manifest.parse(Files.readAllBytes(info.path().resolve(Manifest.FILE_NAME)));
    }
}
