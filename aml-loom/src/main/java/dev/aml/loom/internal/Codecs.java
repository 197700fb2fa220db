package dev.aml.loom.internal;

import dev.aml.loom.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/** The built-in {@link CompressionCodec}s. */
public final class Codecs {

    /** The identity codec. */
    public static final CompressionCodec NONE = new None();

    /** The LZ4 frame codec. */
    public static final CompressionCodec LZ4 = new Lz4();

    private static final CompressionCodec[] GZIP = new CompressionCodec[10];

    static {
        for (int level = 1; level <= 9; level++) {
            GZIP[level] = new Gzip(level);
        }
    }

    private Codecs() {
    }

    /**
     * @param level deflate level 1..9
     * @return the shared gzip codec of that level
     */
    public static CompressionCodec gzip(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 1..9, was " + level);
        }
        return GZIP[level];
    }

    private static final class None implements CompressionCodec {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String fileSuffix() {
            return "";
        }

        @Override
        public boolean matches(byte[] head) {
            return false;
        }

        @Override
        public OutputStream compressing(OutputStream out) {
            return out;
        }

        @Override
        public InputStream decompressing(InputStream in) {
            return in;
        }

        @Override
        public byte[] compress(byte[] plain) {
            return plain.clone();
        }

        @Override
        public byte[] decompress(byte[] compressed) {
            return compressed.clone();
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    private static final class Gzip implements CompressionCodec {
        private final int level;

        Gzip(int level) {
            this.level = level;
        }

        @Override
        public String name() {
            return "gzip";
        }

        @Override
        public String fileSuffix() {
            return ".gz";
        }

        @Override
        public boolean matches(byte[] head) {
            return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        }

        @Override
        public OutputStream compressing(OutputStream out) throws IOException {
            int lvl = level;
            return new GZIPOutputStream(out, 64 * 1024) {
                {
                    def.setLevel(lvl);
                }
            };
        }

        @Override
        public InputStream decompressing(InputStream in) throws IOException {
            return new GZIPInputStream(in, 64 * 1024);
        }

        @Override
        public String toString() {
            return "gzip(level " + level + ")";
        }
    }

    private static final class Lz4 implements CompressionCodec {
        @Override
        public String name() {
            return "lz4";
        }

        @Override
        public String fileSuffix() {
            return ".lz4";
        }

        @Override
        public boolean matches(byte[] head) {
            return head.length >= 4 && (head[0] & 0xff) == 0x04 && (head[1] & 0xff) == 0x22
                    && (head[2] & 0xff) == 0x4d && (head[3] & 0xff) == 0x18;
        }

        @Override
        public OutputStream compressing(OutputStream out) throws IOException {
            return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        }

        @Override
        public InputStream decompressing(InputStream in) throws IOException {
            return new LZ4FrameInputStream(in);
        }

        @Override
        public String toString() {
            return "lz4";
        }
    }
}
