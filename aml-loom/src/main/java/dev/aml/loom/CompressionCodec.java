package dev.aml.loom;

import dev.aml.core.CorruptDataException;
import dev.aml.loom.internal.Codecs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A way to compress bytes at rest: item files (where configured), backups and archives.
 *
 * <p>The built-ins are {@link #none()}, {@link #gzip()} (the format Loom's tools read and write)
 * and {@link #lz4()} (the LZ4 <em>frame</em> format, with content checksum: fast, for backups and
 * archives). A codec is identified by its {@link #name()}, which backups record in their metadata,
 * and by the first bytes of its output ({@link #detect(byte[])}), so readers never depend on file
 * names: Loom's TypeScript runtime writes gzip bytes into files named {@code patterns.json}.
 *
 * <p>Implementations are immutable and thread-safe. User codecs implement this interface; their
 * {@link #matches(byte[])} must recognise only their own output.
 */
public interface CompressionCodec {

    /** Default gzip level, as Loom's backups use (9, smallest output). */
    int DEFAULT_GZIP_LEVEL = 9;

    /** @return the identity codec: bytes are stored as they are */
    static CompressionCodec none() {
        return Codecs.NONE;
    }

    /** @return gzip at level {@value #DEFAULT_GZIP_LEVEL} (Loom-compatible) */
    static CompressionCodec gzip() {
        return Codecs.gzip(DEFAULT_GZIP_LEVEL);
    }

    /**
     * @param level the deflate level, 1 (fastest) to 9 (smallest)
     * @return gzip at that level; any level reads any gzip data
     * @throws IllegalArgumentException if the level is outside 1..9
     */
    static CompressionCodec gzip(int level) {
        return Codecs.gzip(level);
    }

    /** @return the LZ4 frame format (64 KiB independent blocks, content checksum) */
    static CompressionCodec lz4() {
        return Codecs.LZ4;
    }

    /** @return the built-in codecs: none, gzip, lz4 */
    static List<CompressionCodec> builtIns() {
        return List.of(none(), gzip(), lz4());
    }

    /**
     * Recognises compressed data by its magic bytes: gzip ({@code 1f 8b}), LZ4 frame
     * ({@code 04 22 4d 18}); anything else is {@link #none()}.
     *
     * @param head the first bytes of the data (at least 4 for LZ4 detection; fewer is fine)
     * @return the codec that wrote the data
     */
    static CompressionCodec detect(byte[] head) {
        for (CompressionCodec codec : List.of(gzip(), lz4())) {
            if (codec.matches(head)) {
                return codec;
            }
        }
        return none();
    }

    /**
     * @param name a codec name as {@link #name()} returns it ({@code none}, {@code gzip}, {@code lz4})
     * @return the built-in codec of that name
     */
    static Optional<CompressionCodec> byName(String name) {
        return builtIns().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** @return a short stable name recorded in metadata, e.g. {@code gzip} */
    String name();

    /** @return the file-name suffix conventionally added to compressed files ({@code ""}, {@code ".gz"}, {@code ".lz4"}) */
    String fileSuffix();

    /**
     * @param head the first bytes of some data
     * @return whether this codec wrote it (always {@code false} for {@link #none()})
     */
    boolean matches(byte[] head);

    /**
     * Wraps a stream so that what is written to the result reaches {@code out} compressed. Closing
     * the result finishes the compressed stream and closes {@code out}.
     *
     * @param out where compressed bytes go
     * @return the stream to write plain bytes to
     * @throws IOException if writing a header fails
     */
    OutputStream compressing(OutputStream out) throws IOException;

    /**
     * Wraps a stream of this codec's output so that reading the result yields the plain bytes.
     * Damaged or truncated input makes a read throw {@link IOException}; it never ends early
     * without an error.
     *
     * @param in compressed bytes
     * @return the stream of plain bytes
     * @throws IOException if the header is missing or damaged
     */
    InputStream decompressing(InputStream in) throws IOException;

    /**
     * @param plain bytes to compress
     * @return the compressed bytes
     */
    default byte[] compress(byte[] plain) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(64, plain.length / 2));
        try (OutputStream out = compressing(buffer)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("Compressing with " + name() + " failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * @param compressed bytes this codec wrote
     * @return the plain bytes
     * @throws CorruptDataException if the data is truncated or damaged (position: plain bytes decoded so far)
     */
    default byte[] decompress(byte[] compressed) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(64, compressed.length * 4));
        try (InputStream in = decompressing(new ByteArrayInputStream(compressed))) {
            in.transferTo(buffer);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("The " + name() + " data (" + compressed.length
                    + " bytes) is truncated or damaged after " + buffer.size() + " decoded bytes: "
                    + e.getMessage() + ". Nothing was changed; restore the data from a backup.",
                    null, buffer.size(), CorruptDataException.PositionKind.BYTE_OFFSET, e);
        }
        return buffer.toByteArray();
    }
}
