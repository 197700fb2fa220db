package dev.aml.embeddings;

import dev.aml.core.CorruptDataException;
import dev.aml.core.relevance.VectorPersistence;
import dev.aml.core.relevance.VectorSnapshot;
import dev.aml.loom.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The item vectors of a memory tree, in one file beside it: {@code <memory root>/global/embeddings.vec}
 * by default. Loom's tools ignore {@code global/}, and the item files never hold vectors.
 *
 * <h2>Layout (version 1, little-endian)</h2>
 * <pre>
 * magic      8 bytes  "AMLVEC\r\n"
 * version    int32    1
 * model id   int32 length + UTF-8 bytes
 * dimension  int32
 * count      int32
 * entries    count × (int32 key length + UTF-8 key "agent/kind/id", int64 text hash)
 * vectors    count × dimension × float32
 * checksum   int64    CRC32C of every byte before it
 * </pre>
 * A file with another magic, a newer version, a wrong length or a checksum mismatch is reported as
 * {@link CorruptDataException} (the retrieval then recomputes in memory and leaves the file alone
 * until {@code optimize index} rebuilds it). Writes go to a temporary file that is fsynced and
 * atomically renamed over the old one, then the directory is fsynced: a crash leaves the old file or
 * the new one, never half of either.
 */
public final class VectorSidecar implements VectorPersistence {

    /** The file name under {@code global/}. */
    public static final String FILE_NAME = "embeddings.vec";
    /** The format version this class writes and the newest it reads. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "AMLVEC\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;

    private VectorSidecar(Path file) {
        this.file = file;
    }

    /**
     * @param memoryRoot the memory root ({@code .loom/memory})
     * @return the sidecar at {@code <memoryRoot>/global/embeddings.vec}
     */
    public static VectorSidecar in(Path memoryRoot) {
        return at(memoryRoot.resolve("global").resolve(FILE_NAME));
    }

    /**
     * @param file any file path
     * @return a sidecar stored there
     */
    public static VectorSidecar at(Path file) {
        return new VectorSidecar(Objects.requireNonNull(file, "file"));
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    @Override
    public Optional<VectorSnapshot> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the vector sidecar " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(decode(bytes));
    }

    private VectorSnapshot decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (bytes.length < MAGIC.length + 8) {
                throw corrupt("is too short (" + bytes.length + " bytes)", 0);
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (bytes[i] != MAGIC[i]) {
                    throw corrupt("is not an AML vector sidecar (bad magic)", i);
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 8);
            long stored = b.getLong(bytes.length - 8);
            if (stored != crc.getValue()) {
                throw corrupt("fails its checksum (stored " + Long.toHexString(stored) + ", computed "
                        + Long.toHexString(crc.getValue()) + ")", bytes.length - 8);
            }
            b.position(MAGIC.length);
            int version = b.getInt();
            if (version < 1 || version > VERSION) {
                throw corrupt("has format version " + version + "; this AML reads up to " + VERSION
                        + " (upgrade AML)", MAGIC.length);
            }
            String model = string(b);
            int dimension = b.getInt();
            int count = b.getInt();
            if (dimension < 1 || count < 0) {
                throw corrupt("declares " + count + " vectors of " + dimension + " dimensions", b.position() - 8);
            }
            List<String> keys = new ArrayList<>(count);
            long[] hashes = new long[count];
            for (int i = 0; i < count; i++) {
                keys.add(string(b));
                hashes[i] = b.getLong();
            }
            long floats = (long) count * dimension;
            if (floats * 4 != b.remaining() - 8L) {
                throw corrupt("holds " + (b.remaining() - 8) + " bytes of vectors, expected " + floats * 4,
                        b.position());
            }
            float[] vectors = new float[(int) floats];
            b.asFloatBuffer().get(vectors);
            return new VectorSnapshot(model, dimension, keys, hashes, vectors);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw corrupt("is truncated or malformed at byte " + b.position(), b.position());
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private CorruptDataException corrupt(String what, long position) {
        return new CorruptDataException("The vector sidecar " + file + " " + what + "; it was left untouched and"
                + " vectors are recomputed in memory; run 'aml <path> optimize index' (or Retrieval.rebuild()) to"
                + " rewrite it", file, position, CorruptDataException.PositionKind.BYTE_OFFSET, null);
    }

    @Override
    public void save(VectorSnapshot s) {
        byte[] model = s.modelId().getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>(s.size());
        long size = MAGIC.length + 4L + 4 + model.length + 4 + 4;
        for (String k : s.keys()) {
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            keys.add(kb);
            size += 4 + kb.length + 8;
        }
        size += (long) s.vectors().length * 4 + 8;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("vector sidecar would be " + size + " bytes; too large for one file");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(model.length).put(model).putInt(s.dimension()).putInt(s.size());
        for (int i = 0; i < keys.size(); i++) {
            b.putInt(keys.get(i).length).put(keys.get(i)).putLong(s.textHashes()[i]);
        }
        b.asFloatBuffer().put(s.vectors());
        b.position(b.position() + s.vectors().length * 4);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        writeAtomically(b.array());
    }

    private void writeAtomically(byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            DurableFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the vector sidecar " + file + ": " + e.getMessage()
                    + "; the previous file (if any) is unchanged", e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public String toString() {
        return "VectorSidecar[" + file + "]";
    }
}
