package dev.aml.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.TestItems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal writer puts small (buffered) and large (queued as their own arrays) entries on disk in order. */
class JournalWriterTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path dir;

    @Test
    void smallAndLargeEntriesReachTheFileInAppendOrder() throws IOException {
        Path file = dir.resolve("aml.journal");
        List<Change> small = List.of(Change.delete(CODER, ItemKind.PATTERN, "gone"));
        List<MemoryItem> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(TestItems.pattern("p" + i, "coder")); // well above the 64 KiB buffer
        }
        List<Change> large = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, many));
        List<List<Change>> expected = List.of(small, large, small, small, large, small);

        try (JournalWriter w = JournalWriter.open(file, 0, Durability.NONE)) {
            long seq = 0;
            long last = 0;
            for (List<Change> changes : expected) {
                // small segments for the large batch: several arrays queued for one entry
                JournalFormat.Framed entry = JournalFormat.batch(changes, changes == large ? 4096 : 1 << 20)
                        .framed(++seq);
                if (changes == large) {
                    assertThat(entry.segmentCount()).isGreaterThan(10);
                }
                last = w.append(entry);
            }
            w.sync(last, true);
            assertThat(Files.size(file)).isEqualTo(last);
        }

        JournalFormat.Scan scan = JournalFormat.scan(Files.readAllBytes(file));
        assertThat(scan.corruptAt()).isEqualTo(-1);
        assertThat(scan.tornBytes()).isZero();
        assertThat(scan.entries()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JournalFormat.RawEntry raw = scan.entries().get(i);
            JournalFormat.Entry decoded = JournalFormat.decode(raw.payload(), raw.offset(), file);
            assertThat(decoded).isEqualTo(JournalFormat.Batch.of(i + 1, raw.offset(), expected.get(i)));
        }
    }

    @Test
    void aTrimKeepsTheQueuedLargeEntriesAfterItsPosition() throws IOException {
        Path file = dir.resolve("aml.journal");
        List<MemoryItem> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(TestItems.pattern("p" + i, "coder"));
        }
        List<Change> small = List.of(Change.delete(CODER, ItemKind.PATTERN, "gone"));
        List<Change> large = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, many));
        try (JournalWriter w = JournalWriter.open(file, 0, Durability.NONE)) {
            w.append(JournalFormat.batch(large, 4096).framed(1));
            long from = w.append(JournalFormat.batch(small).framed(2)); // kept from here on
            w.append(JournalFormat.batch(large, 4096).framed(3));
            w.append(JournalFormat.batch(small).framed(4));
            // trimmed while entries may still be queued: they are written first, then the tail is kept
            w.trim(JournalFormat.frameCheckpoint(2, java.util.Set.of(), List.of()), from);
            w.sync(w.appendedPosition(), true);
        }
        JournalFormat.Scan scan = JournalFormat.scan(Files.readAllBytes(file));
        assertThat(scan.corruptAt()).isEqualTo(-1);
        List<Long> seqs = new ArrayList<>();
        for (JournalFormat.RawEntry raw : scan.entries()) {
            JournalFormat.Entry e = JournalFormat.decode(raw.payload(), raw.offset(), file);
            seqs.add(e.seq());
            if (e instanceof JournalFormat.Batch b) {
                assertThat(b).isEqualTo(JournalFormat.Batch.of(b.seq(), b.offset(), b.seq() == 3 ? large : small));
            }
        }
        assertThat(seqs).containsExactly(2L, 3L, 4L); // the checkpoint record (seq 2), then entries 3 and 4
    }
}
