package dev.aml.maintenance.internal.optimize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The reference toolkit's bloom filter (LOOM-FORMAT.md §5.2), bit for bit: {@code m = int(−n·ln p /
 * (ln 2)²)} bits, {@code k = max(1, int((m/n)·ln 2))} hashes, and bit {@code i} of an item is
 * {@code u64_le(SHA-256(UTF-8(item + i))[0:8]) mod m}. It is never pickled; {@link #toBytes()}
 * writes this documented layout (all integers big-endian):
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "AMLBLOOM" (ASCII)
 *      8     4  layout version = 1
 *     12     8  capacity n
 *     20     8  error rate p (IEEE 754 double)
 *     28     8  bit count m
 *     36     4  hash count k
 *     40  ⌈m/8⌉ bits: bit i is bit (i mod 8), least significant first, of byte 40 + i/8
 * </pre>
 */
public final class BloomFilter {

    private static final byte[] MAGIC = "AMLBLOOM".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 40;

    private final long capacity;
    private final double errorRate;
    private final long size;
    private final int hashCount;
    private final byte[] bits;

    /**
     * @param capacity expected items, at least 1
     * @param errorRate false-positive rate in (0, 1)
     */
    public BloomFilter(long capacity, double errorRate) {
        if (capacity < 1 || !(errorRate > 0 && errorRate < 1)) {
            throw new IllegalArgumentException("bloom filter needs capacity >= 1 and error rate in (0, 1), was "
                    + capacity + " and " + errorRate);
        }
        this.capacity = capacity;
        this.errorRate = errorRate;
        this.size = (long) (-capacity * Math.log(errorRate) / (Math.log(2) * Math.log(2)));
        this.hashCount = Math.max(1, (int) ((double) size / capacity * Math.log(2)));
        this.bits = new byte[(int) ((size + 7) / 8)];
    }

    /** @return the bit count m */
    public long size() {
        return size;
    }

    /** @return the hash count k */
    public int hashCount() {
        return hashCount;
    }

    /**
     * @param item an item key (an id)
     * @return the k bit positions of the item, in hash order
     */
    public long[] positions(String item) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        long[] out = new long[hashCount];
        for (int i = 0; i < hashCount; i++) {
            byte[] d = sha.digest((item + i).getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(d, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            out[i] = Long.remainderUnsigned(v, size);
        }
        return out;
    }

    /** @param item an item key to add */
    public void add(String item) {
        for (long p : positions(item)) {
            bits[(int) (p >>> 3)] |= (byte) (1 << (p & 7));
        }
    }

    /**
     * @param item an item key
     * @return false if it was certainly never added; true if it probably was
     */
    public boolean mightContain(String item) {
        for (long p : positions(item)) {
            if ((bits[(int) (p >>> 3)] & (1 << (p & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the documented binary layout (see the class description) */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + bits.length).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(1).putLong(capacity).putDouble(errorRate).putLong(size).putInt(hashCount).put(bits);
        return b.array();
    }

    /**
     * @param data bytes written by {@link #toBytes()}
     * @return the filter
     * @throws IllegalArgumentException if the data is not that layout
     */
    public static BloomFilter fromBytes(byte[] data) {
        if (data.length < HEADER || !Arrays.equals(Arrays.copyOf(data, 8), MAGIC)) {
            throw new IllegalArgumentException("not an AML bloom filter (bad magic or too short)");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        b.position(8);
        int version = b.getInt();
        long capacity = b.getLong();
        double errorRate = b.getDouble();
        long size = b.getLong();
        int k = b.getInt();
        BloomFilter f = new BloomFilter(capacity, errorRate);
        if (version != 1 || size != f.size || k != f.hashCount || data.length != HEADER + f.bits.length) {
            throw new IllegalArgumentException("unsupported or damaged AML bloom filter (version " + version + ")");
        }
        System.arraycopy(data, HEADER, f.bits, 0, f.bits.length);
        return f;
    }
}
