package dev.aml.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.internal.ItemTable;
import dev.aml.core.contract.TestItems;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Journal framing under random truncation and bit flips: a torn tail is dropped, earlier damage is found. */
class JournalFormatTest {

    private static final Path FILE = Path.of("global/aml.journal");
    private static final AgentId CODER = AgentId.of("coder");

    @Provide
    Arbitrary<List<byte[]>> journals() {
        Arbitrary<byte[]> entry = Arbitraries.integers().between(0, 3).flatMap(kind -> Arbitraries.strings()
                .alpha().ofMinLength(1).ofMaxLength(12).map(id -> switch (kind) {
                    case 0 -> JournalFormat.batch(List.of(
                            Change.upsert(CODER, TestItems.pattern(id, "coder")))).framed(1).toByteArray();
                    case 1 -> JournalFormat.batch(List.of(
                            Change.delete(CODER, ItemKind.PATTERN, id),
                            Change.upsert(CODER, TestItems.decision(id, "coder", true)))).framed(2).toByteArray();
                    case 2 -> JournalFormat.batch(List.of(Change.replaceAll(CODER,
                            ItemKind.SOLUTION, List.of(TestItems.solution(id, "coder", false))))).framed(3).toByteArray();
                    default -> JournalFormat.frameCheckpoint(4, Set.of(id),
                            List.of(new JournalFormat.Rename("coder/." + id + ".aml-tmp", "coder/patterns.json")));
                }));
        return entry.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 200)
    void aTruncatedJournalKeepsEveryWholeEntryAndDropsTheRest(@ForAll("journals") List<byte[]> entries,
            @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] file = concat(entries);
        int length = JournalFormat.FILE_MAGIC.length + cut % (file.length - JournalFormat.FILE_MAGIC.length + 1);
        byte[] truncated = Arrays.copyOf(file, length);

        JournalFormat.Scan scan = JournalFormat.scan(truncated);

        int whole = 0;
        int end = JournalFormat.FILE_MAGIC.length;
        while (whole < entries.size() && end + entries.get(whole).length <= length) {
            end += entries.get(whole++).length;
        }
        assertThat(scan.corruptAt()).isEqualTo(-1);
        assertThat(scan.entries()).hasSize(whole);
        assertThat(scan.validLength()).isEqualTo(end);
        assertThat(scan.tornBytes()).isEqualTo(length - end);
        for (JournalFormat.RawEntry e : scan.entries()) {
            assertThat(JournalFormat.decode(e.payload(), e.offset(), FILE)).isNotNull();
        }
    }

    @Property(tries = 300)
    void damageBeforeTheLastEntryIsCorruptionNeverATornTail(@ForAll("journals") List<byte[]> entries,
            @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] file = concat(entries);
        int lastStart = file.length - entries.get(entries.size() - 1).length;
        int pos = where % file.length;
        file[pos] ^= (byte) mask;

        JournalFormat.Scan scan = JournalFormat.scan(file);

        if (pos < JournalFormat.FILE_MAGIC.length) {
            assertThat(scan.corruptAt()).isZero();
        } else if (pos < lastStart) {
            int damaged = JournalFormat.FILE_MAGIC.length;
            for (byte[] e : entries) {
                if (pos < damaged + e.length) {
                    break;
                }
                damaged += e.length;
            }
            assertThat(scan.corruptAt()).as("flip at %d", pos).isEqualTo(damaged);
        } else {
            assertThat(scan.corruptAt()).isEqualTo(-1);
            assertThat(scan.entries()).hasSize(entries.size() - 1);
            assertThat(scan.tornBytes()).isPositive();
        }
    }

    @Example
    void anEmptyOrTornHeaderIsAFreshJournalButAWrongHeaderIsCorrupt() {
        assertThat(JournalFormat.scan(new byte[0]).corruptAt()).isEqualTo(-1);
        assertThat(JournalFormat.scan(Arrays.copyOf(JournalFormat.FILE_MAGIC, 3)).tornBytes()).isEqualTo(3);
        assertThat(JournalFormat.scan("NOTAJRNL".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).corruptAt())
                .isZero();
    }

    @Example
    void aPayloadThatPassesItsChecksumButDoesNotDecodeIsCorrupt() {
        byte[] framed = JournalFormat.frameBatch(7, new byte[] {0, 0, 0, 1, 9});
        JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(framed))).entries().get(0);
        assertThatThrownBy(() -> JournalFormat.decode(raw.payload(), raw.offset(), FILE))
                .isInstanceOfSatisfying(CorruptDataException.class, e -> {
                    assertThat(e.position()).isEqualTo(8);
                    assertThat(e.getMessage()).contains("aml.journal").contains("does not decode");
                });
    }

    @Example
    void batchesRoundTrip() {
        List<Change> changes = new ArrayList<>(List.of(Change.upsert(CODER, TestItems.pattern("p", "coder")),
                Change.delete(CODER, ItemKind.DECISION, "d"),
                Change.replaceAll(CODER, ItemKind.SOLUTION, List.of(TestItems.solution("s", "coder", true)))));
        byte[] framed = JournalFormat.batch(changes).framed(42).toByteArray();
        JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(framed))).entries().get(0);
        JournalFormat.Entry decoded = JournalFormat.decode(raw.payload(), raw.offset(), FILE);
        assertThat(decoded).isEqualTo(JournalFormat.Batch.of(42, 8, changes));
    }

    @Example
    void aBatchOfManyItemsRoundTripsAndIsFramedOnce() {
        List<dev.aml.core.MemoryItem> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(TestItems.pattern("p" + i, "coder"));
        }
        List<Change> changes = List.of(Change.delete(CODER, ItemKind.DECISION, "d"),
                Change.replaceAll(CODER, ItemKind.PATTERN, many), Change.delete(CODER, ItemKind.SOLUTION, "s"));
        JournalFormat.PendingBatch batch = JournalFormat.batch(changes);
        byte[] framed = batch.framed(9).toByteArray();
        JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(framed))).entries().get(0);
        assertThat(JournalFormat.decode(raw.payload(), raw.offset(), FILE)).isEqualTo(JournalFormat.Batch.of(9, 8,
                changes));
        assertThatThrownBy(() -> batch.framed(10)).isInstanceOf(IllegalStateException.class);
    }

    @Property(tries = 100)
    void aBatchInSmallSegmentsIsTheSameEntryAsInOneArray(@ForAll @IntRange(min = 22, max = 300) int chunkSize,
            @ForAll @IntRange(min = 0, max = 40) int items) {
        List<dev.aml.core.MemoryItem> many = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            many.add(TestItems.pattern("p" + i, "coder"));
        }
        List<Change> changes = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, many),
                Change.delete(CODER, ItemKind.SOLUTION, "s"));

        JournalFormat.Framed segmented = JournalFormat.batch(changes, chunkSize).framed(5);
        byte[] whole = JournalFormat.batch(changes).framed(5).toByteArray();

        assertThat(segmented.toByteArray()).isEqualTo(whole);
        for (int i = 0; i < segmented.segmentCount(); i++) {
            assertThat(segmented.segment(i).length).isLessThanOrEqualTo(chunkSize);
        }
        if (whole.length > chunkSize) {
            assertThat(segmented.segmentCount()).isGreaterThan(1);
        }
        JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(segmented.toByteArray()))).entries().get(0);
        assertThat(JournalFormat.decode(raw.payload(), raw.offset(), FILE)).isEqualTo(JournalFormat.Batch.of(5, 8,
                changes));
    }

    @Property(tries = 200)
    void aReplacementKeepingSomeOfTheListsOwnItemsIsWrittenAsWhatItDropsAndReplaysToTheSameList(
            @ForAll @IntRange(min = 1, max = 60) int size, @ForAll long seed) {
        List<MemoryItem> base = patterns("p", size);
        java.util.Random random = new java.util.Random(seed);
        List<MemoryItem> kept = new ArrayList<>();
        for (MemoryItem item : base) {
            if (random.nextInt(3) > 0) {
                kept.add(item);
            }
        }
        if (kept.isEmpty()) {
            kept.add(base.get(random.nextInt(size)));
        }
        List<Change> changes = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, kept));

        JournalFormat.Batch decoded = roundTrip(JournalFormat.batch(changes, (a, k) -> base).framed(3));

        assertThat(decoded.changes()).singleElement().isInstanceOf(LoggedChange.Retain.class);
        LoggedChange.Retain retain = (LoggedChange.Retain) decoded.changes().get(0);
        assertThat(retain.removedIds()).hasSize(size - kept.size())
                .doesNotContainAnyElementsOf(kept.stream().map(MemoryItem::id).toList());
        ItemTable table = new ItemTable();
        table.load(CODER, ItemKind.PATTERN, base);
        assertThat(retain.resolve(table)).isEqualTo(changes.get(0));
    }

    @Property(tries = 300)
    void anyBatchReplaysOverItsBaseToWhatApplyingItMade(@ForAll @IntRange(min = 0, max = 12) int size,
            @ForAll long seed) {
        List<MemoryItem> base = patterns("p", size);
        java.util.Random random = new java.util.Random(seed);
        ItemTable live = new ItemTable();
        live.load(CODER, ItemKind.PATTERN, base);
        List<Change> changes = new ArrayList<>();
        for (int n = 1 + random.nextInt(4), i = 0; i < n; i++) {
            List<MemoryItem> now = live.items(CODER, ItemKind.PATTERN);
            List<MemoryItem> from = random.nextBoolean() ? base : now; // a stale list, or the running one
            Change c = switch (random.nextInt(4)) {
                case 0 -> Change.upsert(CODER, TestItems.pattern(random.nextBoolean() ? "p" + random.nextInt(14)
                        : "new" + i, "coder"));
                case 1 -> Change.delete(CODER, ItemKind.PATTERN, "p" + random.nextInt(14));
                default -> {
                    List<MemoryItem> kept = new ArrayList<>();
                    for (MemoryItem item : from) {
                        if (random.nextInt(3) > 0) {
                            kept.add(item);
                        }
                    }
                    if (random.nextInt(5) == 0) {
                        kept.add(TestItems.pattern("added" + i, "coder"));
                    }
                    yield Change.replaceAll(CODER, ItemKind.PATTERN, kept);
                }
            };
            changes.add(c);
            live.apply(c);
        }

        JournalFormat.Batch decoded = roundTrip(JournalFormat.batch(changes, (a, k) -> base).framed(7));
        ItemTable replayed = new ItemTable();
        replayed.load(CODER, ItemKind.PATTERN, base);
        for (LoggedChange c : decoded.changes()) {
            replayed.apply(c.resolve(replayed));
        }

        assertThat(replayed.items(CODER, ItemKind.PATTERN)).isEqualTo(live.items(CODER, ItemKind.PATTERN));
    }

    @Example
    void aRetainIsAFractionOfTheItemsItKeeps() {
        List<MemoryItem> base = patterns("p", 300);
        List<MemoryItem> kept = new ArrayList<>(base.subList(0, 150));
        List<Change> changes = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, kept));
        long full = JournalFormat.batch(changes).framed(1).length();
        long retain = JournalFormat.batch(changes, (a, k) -> base).framed(1).length();
        assertThat(retain).isLessThan(full / 10);
    }

    @Example
    void itemsThatAreNotTheListsOwnObjectsOrAreReorderedAreWrittenInFull() {
        List<MemoryItem> base = patterns("p", 5);
        List<MemoryItem> equalCopies = patterns("p", 5).subList(0, 3);
        List<MemoryItem> reordered = List.of(base.get(2), base.get(0));
        List<MemoryItem> withNew = List.of(base.get(0), TestItems.pattern("new", "coder"));
        for (List<MemoryItem> items : List.of(equalCopies, reordered, withNew, List.<MemoryItem>of())) {
            List<Change> changes = List.of(Change.replaceAll(CODER, ItemKind.PATTERN, items));
            JournalFormat.Batch decoded = roundTrip(JournalFormat.batch(changes, (a, k) -> base).framed(2));
            assertThat(decoded).isEqualTo(JournalFormat.Batch.of(2, 8, changes));
        }
    }

    @Example
    void aRetainReplayedOverAnotherListDropsTheRecordedIdsAndKeepsEverythingElse() {
        List<MemoryItem> base = patterns("p", 6);
        List<MemoryItem> kept = List.of(base.get(0), base.get(2), base.get(5));
        JournalFormat.Batch decoded = roundTrip(JournalFormat.batch(List.of(Change.replaceAll(CODER,
                ItemKind.PATTERN, kept)), (a, k) -> base).framed(4));
        ItemTable edited = new ItemTable(); // another program inserted an item and removed p2 meanwhile
        List<MemoryItem> other = new ArrayList<>(base);
        other.add(1, TestItems.pattern("external", "coder"));
        other.remove(base.get(2));
        edited.load(CODER, ItemKind.PATTERN, other);

        Change replayed = decoded.changes().get(0).resolve(edited);

        assertThat(((Change.ReplaceAll) replayed).items()).extracting(MemoryItem::id)
                .containsExactly("p0", "external", "p5");
    }

    @Example
    void aBatchIsBasedOnItsListsUntilOneOfThemChanges() {
        List<MemoryItem> base = patterns("p", 4);
        JournalFormat.PendingBatch batch = JournalFormat.batch(List.of(Change.replaceAll(CODER, ItemKind.PATTERN,
                base.subList(1, 4))), (a, k) -> base);
        assertThat(batch.basedOn((a, k) -> new ArrayList<>(base))).isTrue();
        assertThat(batch.basedOn((a, k) -> base.subList(0, 3))).isFalse();
        List<MemoryItem> replaced = new ArrayList<>(base);
        replaced.set(2, TestItems.pattern("p2", "coder")); // equal, but another object: an update came first
        assertThat(batch.basedOn((a, k) -> replaced)).isFalse();
    }

    @Example
    void aRetainWithPositionsOutOfOrderOrRangeIsDamage() {
        for (int[] positions : List.of(new int[] {2, 1}, new int[] {0, 7}, new int[] {-1}, new int[] {1, 1})) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            java.io.DataOutputStream out = new java.io.DataOutputStream(body);
            try {
                out.writeInt(1);
                out.writeByte(4);
                writeStr(out, "coder");
                out.writeByte(ItemKind.PATTERN.ordinal());
                out.writeInt(5);
                out.writeInt(0);
                out.writeInt(positions.length);
                for (int position : positions) {
                    out.writeInt(position);
                    writeStr(out, "p" + position);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            byte[] framed = JournalFormat.frameBatch(6, body.toByteArray());
            JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(framed))).entries().get(0);
            assertThatThrownBy(() -> JournalFormat.decode(raw.payload(), raw.offset(), FILE))
                    .as(Arrays.toString(positions)).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("retain");
        }
    }

    private static void writeStr(java.io.DataOutputStream out, String s) throws java.io.IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static List<MemoryItem> patterns(String prefix, int n) {
        List<MemoryItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(TestItems.pattern(prefix + i, "coder"));
        }
        return items;
    }

    private static JournalFormat.Batch roundTrip(JournalFormat.Framed framed) {
        JournalFormat.RawEntry raw = JournalFormat.scan(concat(List.of(framed.toByteArray()))).entries().get(0);
        return (JournalFormat.Batch) JournalFormat.decode(raw.payload(), raw.offset(), FILE);
    }

    private static byte[] concat(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(JournalFormat.FILE_MAGIC);
        entries.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
