package dev.aml.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.TestItems;
import dev.aml.core.internal.ItemTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TreeState#append} with a batch encoded against a list another write changed before the lock was taken. */
class TreeStateAppendTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path dir;

    @Test
    void aRetainEncodedAgainstAListThatChangedMeanwhileIsEncodedAgainUnderTheLock() throws IOException {
        List<MemoryItem> base = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            base.add(TestItems.pattern("p" + i, "coder"));
        }
        TreeState state = new TreeState(dir, new TreeLoader.Loaded(table(base), new HashMap<>(), new LinkedHashSet<>(),
                new HashMap<>(), new HashMap<>(), 0, 0, false, null));
        Path file = dir.resolve("aml.journal");
        List<Change> replace = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, base.subList(1, 5)));
        JournalFormat.PendingBatch stale = JournalFormat.batch(replace, state::items); // encoded outside the lock
        List<Change> first = List.of(Change.upsert(CODER, TestItems.pattern("came-first", "coder")));
        try (JournalWriter journal = JournalWriter.open(file, 0, Durability.NONE)) {
            state.write(() -> state.append(journal, first, JournalFormat.batch(first, state::items)));
            state.write(() -> state.append(journal, replace, stale));
            journal.sync(journal.appendedPosition(), true);
        }

        ItemTable replayed = table(base);
        for (JournalFormat.RawEntry raw : JournalFormat.scan(Files.readAllBytes(file)).entries()) {
            JournalFormat.Batch b = (JournalFormat.Batch) JournalFormat.decode(raw.payload(), raw.offset(), file);
            for (LoggedChange c : b.changes()) {
                replayed.apply(c.resolve(replayed));
            }
        }

        assertThat(state.items(CODER, ItemKind.PATTERN)).isEqualTo(base.subList(1, 5));
        assertThat(replayed.items(CODER, ItemKind.PATTERN)).isEqualTo(base.subList(1, 5));
    }

    private static ItemTable table(List<MemoryItem> patterns) {
        ItemTable t = new ItemTable();
        t.load(CODER, ItemKind.PATTERN, patterns);
        return t;
    }
}
