package dev.aml.store.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.CorruptDataException.PositionKind;
import dev.aml.core.InvalidInputException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.loom.LoomJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of the write-ahead journal ({@code global/aml.journal}).
 *
 * <h2>Layout</h2>
 * <pre>
 * file    = "AMLJRNL1" entry*
 * entry   = magic(4: a7 4a 52 4e) length(int32) crc(int32) payload(length bytes)
 * crc     = CRC32C(length bytes ++ payload)
 * payload = type(1) seq(int64) body
 * BATCH body      = count(int32) change*            -- one MemoryStore.apply/update call, all or nothing
 * change          = op(1: 1 upsert, 2 delete, 3 replaceAll, 4 retain) agent(str) kind(1) ...
 *                   upsert: item(bytes)  delete: id(str)  replaceAll: n(int32) item(bytes)*
 *                   retain: baseSize(int32) baseIds(int32) removed(int32) (position(int32) id(str))*
 * CHECKPOINT body = excluded(int32, str*) renames(int32, (tmp str, target str)*)
 * str / bytes     = length(int32) UTF-8 / raw bytes; items are compact Loom JSON (UTC, lossless)
 * </pre>
 *
 * <h2>Why this shape</h2>
 * The per-entry magic lets recovery tell a torn tail (a crash while appending: the damage runs to
 * the end of the file and no valid entry follows it) from corruption before the tail (a damaged
 * entry followed by a valid one), which must never be skipped silently. The CRC covers the
 * length, so a flipped length cannot pass as a short valid entry. A batch is one entry, so
 * replay applies every change of one {@code apply} call or none of them.
 *
 * <p>A <em>retain</em> is how a prune's or a garbage collection's {@link Change.ReplaceAll} is
 * written: what it drops from the list as it was, not every item it keeps ({@link LoggedChange}).
 *
 * <p>A CHECKPOINT entry with sequence {@code S} says: the item files of every agent except the
 * excluded (unreadable) ones hold every change up to {@code S}, once the listed temp files are
 * renamed over their targets. Replay skips such changes and rolls the renames forward.
 */
public final class JournalFormat {

    /** File header. */
    public static final byte[] FILE_MAGIC = "AMLJRNL1".getBytes(StandardCharsets.US_ASCII);
    /** Entry magic. */
    static final int ENTRY_MAGIC = 0xA74A524E;
    /** Bytes before an entry's payload. */
    public static final int ENTRY_HEADER = 12;
    /** Largest payload accepted; a length above it is damage. */
    static final int MAX_PAYLOAD = 512 * 1024 * 1024;

    /** Bytes of an entry before its body: the header, the type and the sequence number. */
    static final int FRAME_PREFIX = ENTRY_HEADER + 1 + 8;

    static final byte BATCH = 1;
    static final byte CHECKPOINT = 2;

    private static final byte UPSERT = 1;
    private static final byte DELETE = 2;
    private static final byte REPLACE_ALL = 3;
    private static final byte RETAIN = 4;

    private static final LoomJson ITEM_JSON = LoomJson.defaults();

    private JournalFormat() {
    }

    /** A decoded journal entry. */
    public sealed interface Entry {
        /** @return the sequence number */
        long seq();

        /** @return the entry's byte offset in the journal file */
        long offset();
    }

    /**
     * One atomic batch of changes.
     *
     * @param seq sequence number
     * @param offset byte offset
     * @param changes the changes in order, as logged
     */
    public record Batch(long seq, long offset, List<LoggedChange> changes) implements Entry {

        /**
         * @param seq sequence number
         * @param offset byte offset
         * @param changes changes that need no base list to replay
         * @return the batch
         */
        public static Batch of(long seq, long offset, List<Change> changes) {
            return new Batch(seq, offset, changes.stream().<LoggedChange>map(LoggedChange.Plain::new).toList());
        }
    }

    /**
     * A completed or in-progress checkpoint.
     *
     * @param seq every change up to this sequence is in the item files (except excluded agents)
     * @param offset byte offset
     * @param excludedAgents agents whose files were unreadable and not written
     * @param renames temp files to rename over their targets (paths relative to the root, '/'-separated)
     */
    public record Checkpoint(long seq, long offset, Set<String> excludedAgents, List<Rename> renames)
            implements Entry {
    }

    /**
     * @param tmp the temp file, relative to the root
     * @param target the item file, relative to the root
     */
    public record Rename(String tmp, String target) {
    }

    /**
     * A framed entry whose checksum matched.
     *
     * @param offset its byte offset in the file
     * @param payload its payload
     */
    public record RawEntry(long offset, byte[] payload) {
    }

    /**
     * The framed entries found in a journal file.
     *
     * @param entries the valid entries, in order
     * @param validLength bytes up to the end of the last valid entry (0 when even the header is torn)
     * @param tornBytes bytes after it that form a torn tail (dropped)
     * @param corruptAt offset of damage that is followed by a valid entry (or of a wrong header), or -1
     */
    public record Scan(List<RawEntry> entries, long validLength, long tornBytes, long corruptAt) {
    }

    // -------------------------------------------------------------------------------------------- framing

    /**
     * @param type entry type
     * @param seq sequence number
     * @param body the body
     * @return the complete entry bytes
     */
    static byte[] frame(byte type, long seq, byte[] body) {
        byte[] entry = new byte[FRAME_PREFIX + body.length];
        System.arraycopy(body, 0, entry, FRAME_PREFIX, body.length);
        return frameInPlace(type, seq, new byte[][] {entry}).segment(0);
    }

    /**
     * Fills the first {@link #FRAME_PREFIX} bytes of an entry whose body follows them, in its first
     * segment and on through the others.
     */
    private static Framed frameInPlace(byte type, long seq, byte[][] segments) {
        Framed entry = new Framed(segments);
        byte[] first = segments[0];
        int length = Math.toIntExact(entry.length() - ENTRY_HEADER);
        ByteBuffer.wrap(first).putInt(ENTRY_MAGIC).putInt(length).putInt(0).put(type).putLong(seq);
        CRC32C crc = new CRC32C();
        crc.update(first, 4, 4);
        crc.update(first, ENTRY_HEADER, first.length - ENTRY_HEADER);
        for (int i = 1; i < segments.length; i++) {
            crc.update(segments[i], 0, segments[i].length);
        }
        ByteBuffer.wrap(first).putInt(8, (int) crc.getValue());
        return entry;
    }

    private static int crc(byte[] data, int lenOff, int lenLen, int payloadOff, int payloadLen) {
        CRC32C crc = new CRC32C();
        crc.update(data, lenOff, lenLen);
        crc.update(data, payloadOff, payloadLen);
        return (int) crc.getValue();
    }

    /**
     * Splits a journal file into entries, telling a torn tail from corruption before the tail.
     *
     * @param data the whole file
     * @return what was found; {@code corruptAt >= 0} when damage is followed by a valid entry
     */
    public static Scan scan(byte[] data) {
        List<RawEntry> entries = new ArrayList<>();
        int n = data.length;
        if (n < FILE_MAGIC.length) {
            boolean prefix = Arrays.equals(data, 0, n, FILE_MAGIC, 0, n);
            return prefix ? new Scan(entries, 0, n, -1) : new Scan(entries, 0, 0, 0);
        }
        if (!Arrays.equals(data, 0, FILE_MAGIC.length, FILE_MAGIC, 0, FILE_MAGIC.length)) {
            return new Scan(entries, 0, 0, 0);
        }
        int pos = FILE_MAGIC.length;
        while (pos < n) {
            int len = validEntryAt(data, pos);
            if (len < 0) {
                for (int q = pos + 1; q + ENTRY_HEADER <= n; q++) {
                    if (validEntryAt(data, q) >= 0) {
                        return new Scan(entries, pos, 0, pos);
                    }
                }
                return new Scan(entries, pos, n - pos, -1);
            }
            entries.add(new RawEntry(pos, Arrays.copyOfRange(data, pos + ENTRY_HEADER, pos + ENTRY_HEADER + len)));
            pos += ENTRY_HEADER + len;
        }
        return new Scan(entries, pos, 0, -1);
    }

    /** @return the payload length of a valid entry at {@code pos}, or -1 */
    private static int validEntryAt(byte[] data, int pos) {
        int n = data.length;
        if (n - pos < ENTRY_HEADER) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.getInt(pos) != ENTRY_MAGIC) {
            return -1;
        }
        int len = b.getInt(pos + 4);
        if (len < 9 || len > MAX_PAYLOAD || (long) pos + ENTRY_HEADER + len > n) {
            return -1;
        }
        return crc(data, pos + 4, 4, pos + ENTRY_HEADER, len) == b.getInt(pos + 8) ? len : -1;
    }

    // -------------------------------------------------------------------------------------------- bodies

    /**
     * A BATCH entry encoded outside the store's lock, still without its sequence number (assigned
     * inside the lock). The body is written once, into chunks of at most 1 MiB that become the
     * entry's segments (the first starts with room for the frame), so a batch of tens of megabytes
     * (a prune's survivors) is neither held twice while it is assembled nor copied again to be
     * framed or queued; the journal writes the segments one after the other.
     */
    public static final class PendingBatch {
        private final byte[][] segments;
        private final List<Base> bases;
        private boolean framed;

        private PendingBatch(byte[][] segments, List<Base> bases) {
            this.segments = segments;
            this.bases = bases;
        }

        /**
         * @param current the lists as they are now (under the lock that orders the journal)
         * @return whether every list a retain of this batch was written against is still the list
         *     {@code current} gives, item for item; if not, the batch must be encoded again
         */
        public boolean basedOn(Lists current) {
            for (Base b : bases) {
                List<MemoryItem> now = current.items(b.agent(), b.kind());
                if (now.size() != b.items().size()) {
                    return false;
                }
                for (int i = 0; i < now.size(); i++) {
                    if (now.get(i) != b.items().get(i)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * @param seq the batch's sequence number
         * @return the framed entry; it is handed over, so this can be called once only
         */
        public Framed framed(long seq) {
            if (framed) {
                throw new IllegalStateException("a pending batch is framed once");
            }
            framed = true;
            return frameInPlace(BATCH, seq, segments);
        }
    }

    /**
     * A complete entry as consecutive byte arrays (each used whole), in the order they go to disk.
     * The arrays are handed over with the entry: nobody changes them afterwards.
     */
    public static final class Framed {
        private final byte[][] segments;
        private final long length;

        /**
         * @param entry a complete entry in one array, handed over
         * @return it as a framed entry
         */
        public static Framed of(byte[] entry) {
            return new Framed(new byte[][] {entry});
        }

        private Framed(byte[][] segments) {
            this.segments = segments;
            long n = 0;
            for (byte[] s : segments) {
                n += s.length;
            }
            this.length = n;
        }

        /** @return the entry's bytes */
        public long length() {
            return length;
        }

        /** @return how many arrays hold the entry */
        public int segmentCount() {
            return segments.length;
        }

        /**
         * @param i an index below {@link #segmentCount()}
         * @return that array (not a copy: do not change it)
         */
        public byte[] segment(int i) {
            return segments[i];
        }

        /** @return the entry in one new array (tests, small entries) */
        public byte[] toByteArray() {
            byte[] all = new byte[Math.toIntExact(length)];
            int at = 0;
            for (byte[] s : segments) {
                System.arraycopy(s, 0, all, at, s.length);
                at += s.length;
            }
            return all;
        }
    }

    /**
     * @param changes one atomic batch
     * @return its BATCH entry, to be framed with its sequence number
     * @throws InvalidInputException if the batch encodes to more than one entry may hold
     */
    public static PendingBatch batch(List<Change> changes) {
        return batch(changes, Lists.NONE, Out.CHUNK);
    }

    /**
     * The item lists a batch is encoded against: a {@link Change.ReplaceAll} whose items are the
     * same objects as some of its list's, in order, is written as a retain of that list.
     */
    @FunctionalInterface
    public interface Lists {
        /** No lists: every change is written as itself. */
        Lists NONE = (agent, kind) -> List.of();

        /**
         * @param agent the agent
         * @param kind the kind
         * @return its items now, in order (empty if it has none)
         */
        List<MemoryItem> items(AgentId agent, ItemKind kind);
    }

    /**
     * @param changes one atomic batch
     * @param current the lists the changes apply to, as they are now; the batch is
     *     {@linkplain PendingBatch#basedOn valid} while they stay so
     * @return its BATCH entry, to be framed with its sequence number
     * @throws InvalidInputException if the batch encodes to more than one entry may hold
     */
    public static PendingBatch batch(List<Change> changes, Lists current) {
        return batch(changes, current, Out.CHUNK);
    }

    /**
     * @param changes one atomic batch
     * @param chunkSize the largest segment
     * @return its BATCH entry, every change written as itself
     */
    static PendingBatch batch(List<Change> changes, int chunkSize) {
        return batch(changes, Lists.NONE, chunkSize);
    }

    /**
     * @param changes one atomic batch
     * @param current the lists the changes apply to
     * @param chunkSize the largest segment (tests use small ones to cross segment boundaries)
     * @return its BATCH entry
     */
    static PendingBatch batch(List<Change> changes, Lists current, int chunkSize) {
        Out out = new Out(FRAME_PREFIX, chunkSize);
        List<Base> bases = new ArrayList<>();
        // lists an earlier change of this batch touches: their base at replay is not `current`'s
        Set<ListKey> touched = new java.util.HashSet<>();
        out.i32(changes.size());
        for (Change c : changes) {
            boolean first = touched.add(new ListKey(c.agent(), c.kind()));
            if (c instanceof Change.Upsert u) {
                out.u8(UPSERT).str(u.agent().name()).u8(u.kind().ordinal()).bytes(ITEM_JSON.writeItem(u.item()));
            } else if (c instanceof Change.Delete d) {
                out.u8(DELETE).str(d.agent().name()).u8(d.kind().ordinal()).str(d.id());
            } else if (c instanceof Change.ReplaceAll r) {
                List<MemoryItem> base = r.items().isEmpty() || !first ? List.of()
                        : current.items(r.agent(), r.kind());
                LoggedChange.Retain retain = LoggedChange.Retain.of(r, base);
                if (retain != null) {
                    bases.add(new Base(r.agent(), r.kind(), base));
                    out.u8(RETAIN).str(r.agent().name()).u8(r.kind().ordinal()).i32(retain.baseSize())
                            .i32(retain.baseIds()).i32(retain.removedIds().size());
                    for (int i = 0; i < retain.removedIds().size(); i++) {
                        out.i32(retain.removedPositions()[i]).str(retain.removedIds().get(i));
                    }
                    continue;
                }
                out.u8(REPLACE_ALL).str(r.agent().name()).u8(r.kind().ordinal()).i32(r.items().size());
                for (MemoryItem item : r.items()) {
                    out.bytes(ITEM_JSON.writeItem(item));
                }
            }
        }
        return new PendingBatch(out.segments(), List.copyOf(bases));
    }

    /** A list a retain was encoded against. */
    private record Base(AgentId agent, ItemKind kind, List<MemoryItem> items) {
    }

    /**
     * @param seq the sequence number
     * @param body any body (tests frame hand-made ones)
     * @return the framed BATCH entry
     */
    public static byte[] frameBatch(long seq, byte[] body) {
        return frame(BATCH, seq, body);
    }

    /**
     * @param seq the checkpoint's sequence number
     * @param excluded agents not written
     * @param renames pending renames
     * @return the framed CHECKPOINT entry
     */
    public static byte[] frameCheckpoint(long seq, Set<String> excluded, List<Rename> renames) {
        return frame(CHECKPOINT, seq, checkpointBody(excluded, renames));
    }

    /**
     * @param excluded agents not written
     * @param renames pending renames
     * @return the body of a CHECKPOINT entry
     */
    static byte[] checkpointBody(Set<String> excluded, List<Rename> renames) {
        Out out = new Out();
        out.i32(excluded.size());
        for (String a : excluded) {
            out.str(a);
        }
        out.i32(renames.size());
        for (Rename r : renames) {
            out.str(r.tmp()).str(r.target());
        }
        return out.toByteArray();
    }

    /**
     * @param payload an entry's payload (CRC already checked)
     * @param offset its offset, for messages
     * @param file the journal file, for messages
     * @return the decoded entry
     * @throws CorruptDataException if the payload does not decode
     */
    public static Entry decode(byte[] payload, long offset, Path file) {
        In in = new In(payload, offset, file);
        byte type = in.u8();
        long seq = in.i64();
        if (type == BATCH) {
            int count = in.count();
            List<LoggedChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte op = in.u8();
                AgentId agent = in.agent();
                ItemKind kind = in.kind();
                switch (op) {
                    case UPSERT -> changes.add(new LoggedChange.Plain(Change.upsert(agent, in.item(kind))));
                    case DELETE -> changes.add(new LoggedChange.Plain(Change.delete(agent, kind, in.str())));
                    case REPLACE_ALL -> {
                        int n = in.count();
                        List<MemoryItem> items = new ArrayList<>(n);
                        for (int k = 0; k < n; k++) {
                            items.add(in.item(kind));
                        }
                        changes.add(new LoggedChange.Plain(Change.replaceAll(agent, kind, items)));
                    }
                    case RETAIN -> changes.add(in.retain(agent, kind, seq));
                    default -> throw in.bad("unknown change type " + op);
                }
            }
            in.end();
            return new Batch(seq, offset, changes);
        }
        if (type == CHECKPOINT) {
            int n = in.count();
            Set<String> excluded = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                excluded.add(in.str());
            }
            int r = in.count();
            List<Rename> renames = new ArrayList<>(r);
            for (int i = 0; i < r; i++) {
                renames.add(new Rename(in.str(), in.str()));
            }
            in.end();
            return new Checkpoint(seq, offset, excluded, renames);
        }
        throw in.bad("unknown entry type " + type);
    }

    /**
     * Collects an entry's bytes in chunks: the first grows by doubling up to the chunk size (a small
     * entry stays one small array), then full chunks are kept and a new one started. Every byte is
     * copied once, from the caller's array into its chunk, so an item's encoded JSON is garbage as
     * soon as it is added and a large batch is held once, not as pieces plus a joined copy.
     */
    private static final class Out {
        /** Largest chunk of a body: also the largest single write of the journal's I/O thread. */
        static final int CHUNK = 1 << 20;
        private final int chunkSize;
        private final List<byte[]> full = new ArrayList<>();
        private final byte[] scratch = new byte[4];
        private byte[] current;
        private int currentLength;
        private long size;

        /** A body without reserved room, in one chunk size (checkpoint bodies). */
        Out() {
            this(0, CHUNK);
        }

        /**
         * @param reserve bytes left free at the start (for the frame)
         * @param chunkSize the largest chunk, at least {@code reserve + 1}
         */
        Out(int reserve, int chunkSize) {
            if (chunkSize <= reserve) {
                throw new IllegalArgumentException("chunk size " + chunkSize + " <= reserve " + reserve);
            }
            this.chunkSize = chunkSize;
            this.current = new byte[Math.min(chunkSize, reserve + 64)];
            this.currentLength = reserve;
        }

        Out u8(int v) {
            scratch[0] = (byte) v;
            return write(scratch, 1);
        }

        Out i32(int v) {
            ByteBuffer.wrap(scratch).putInt(0, v);
            return write(scratch, 4);
        }

        Out bytes(byte[] b) {
            i32(b.length);
            return write(b, b.length);
        }

        Out str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        private Out write(byte[] b, int length) {
            if (size + length + 1 + 8 > MAX_PAYLOAD) {
                // refused before the batch is held in full: it could never be replayed
                throw new InvalidInputException("A journal entry of more than " + (size + length) + " encoded bytes"
                        + " is larger than the " + MAX_PAYLOAD + " bytes one entry may hold, so nothing was written;"
                        + " apply the changes in smaller batches");
            }
            int at = 0;
            while (at < length) {
                if (currentLength == current.length) {
                    if (current.length < chunkSize) {
                        current = Arrays.copyOf(current, (int) Math.min(chunkSize, 2L * current.length));
                    } else {
                        full.add(current);
                        current = new byte[chunkSize];
                        currentLength = 0;
                    }
                }
                int n = Math.min(length - at, current.length - currentLength);
                System.arraycopy(b, at, current, currentLength, n);
                currentLength += n;
                at += n;
            }
            size += length;
            return this;
        }

        /** @return the chunks, each used whole (the last one trimmed); ends this collector */
        byte[][] segments() {
            byte[] last = currentLength == current.length ? current : Arrays.copyOf(current, currentLength);
            full.add(last);
            return full.toArray(new byte[0][]);
        }

        /** @return the body in one array (bodies without reserve only) */
        byte[] toByteArray() {
            byte[][] segments = segments();
            if (segments.length == 1) {
                return segments[0];
            }
            return new Framed(segments).toByteArray();
        }
    }

    private static final class In {
        private final ByteBuffer buf;
        private final long offset;
        private final @Nullable Path file;

        In(byte[] data, long offset, @Nullable Path file) {
            this.buf = ByteBuffer.wrap(data);
            this.offset = offset;
            this.file = file;
        }

        CorruptDataException bad(String what) {
            return new CorruptDataException("Journal " + file + ": the entry at byte " + offset
                    + " passed its checksum but does not decode (" + what + "). The journal was left untouched; "
                    + "open the store read-only to inspect and back up the tree.", file, offset,
                    PositionKind.BYTE_OFFSET, null);
        }

        private void need(int n) {
            if (buf.remaining() < n) {
                throw bad("it ends early");
            }
        }

        byte u8() {
            need(1);
            return buf.get();
        }

        int i32() {
            need(4);
            return buf.getInt();
        }

        long i64() {
            need(8);
            return buf.getLong();
        }

        int count() {
            int n = i32();
            if (n < 0 || n > buf.remaining()) {
                throw bad("impossible count " + n);
            }
            return n;
        }

        byte[] bytes() {
            int n = count();
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        String str() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        AgentId agent() {
            String name = str();
            if (!AgentId.isValid(name)) {
                throw bad("invalid agent name");
            }
            return AgentId.of(name);
        }

        ItemKind kind() {
            int k = u8();
            if (k < 0 || k >= ItemKind.values().length) {
                throw bad("unknown item kind " + k);
            }
            return ItemKind.values()[k];
        }

        MemoryItem item(ItemKind kind) {
            byte[] json = bytes();
            try {
                return ITEM_JSON.readItem(json, kind, "journal entry at byte " + offset);
            } catch (CorruptDataException e) {
                throw bad(e.getMessage());
            }
        }

        LoggedChange.Retain retain(AgentId agent, ItemKind kind, long seq) {
            int baseSize = i32();
            int baseIds = i32();
            int n = count();
            if (baseSize < n) {
                throw bad("a retain removes " + n + " of " + baseSize + " items");
            }
            int[] positions = new int[n];
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                positions[i] = i32();
                if (positions[i] < 0 || positions[i] >= baseSize || (i > 0 && positions[i] <= positions[i - 1])) {
                    throw bad("retain position " + positions[i] + " out of order or outside 0.." + (baseSize - 1));
                }
                ids.add(str());
            }
            return new LoggedChange.Retain(agent, kind, baseSize, baseIds, positions, List.copyOf(ids),
                    "Journal " + file + ", batch " + seq + " at byte " + offset);
        }

        void end() {
            if (buf.hasRemaining()) {
                throw bad(buf.remaining() + " unexpected trailing bytes");
            }
        }
    }
}
