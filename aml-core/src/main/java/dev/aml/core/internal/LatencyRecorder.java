package dev.aml.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap latency statistics: a count, a sum and a log-linear histogram (four buckets per power of
 * two, so any percentile is known within 19 %), all striped adders. Recording is two adds and one
 * bucket increment, with no allocation and no lock.
 */
public final class LatencyRecorder {

    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder[] buckets = new LongAdder[BUCKETS];

    /** Creates an empty recorder. */
    public LatencyRecorder() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** @param nanos one measured latency; negative values count as 0 */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        count.increment();
        sumNanos.add(n);
        buckets[bucketOf(n)].increment();
    }

    static int bucketOf(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int msb = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (msb - 2)) & (SUB_BUCKETS - 1);
        return msb * SUB_BUCKETS + sub;
    }

    /** @return the largest latency that falls in bucket {@code b} */
    static long upperBound(int b) {
        if (b < SUB_BUCKETS) {
            return b;
        }
        int msb = b / SUB_BUCKETS;
        long sub = b % SUB_BUCKETS;
        long low = (1L << msb) | (sub << (msb - 2));
        return low + (1L << (msb - 2)) - 1;
    }

    /** @return how many latencies were recorded */
    public long count() {
        return count.sum();
    }

    /** @return the mean latency in nanoseconds, 0 when none was recorded */
    public double meanNanos() {
        long n = count.sum();
        return n == 0 ? 0 : (double) sumNanos.sum() / n;
    }

    /**
     * @param fraction the percentile as a fraction, e.g. 0.95
     * @return an upper estimate of that percentile in nanoseconds (the top of its bucket), 0 when empty
     */
    public long percentileNanos(double fraction) {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets[i].sum();
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
