package dev.aml.maintenance.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item ids: RFC 9562 version-7 UUIDs (time-ordered), unique within a process by construction and
 * across processes by 62 random bits.
 *
 * <p>The 48-bit millisecond time and the 12-bit sequence form one 60-bit counter that only moves
 * forward: each id takes {@code max(last + 1, now << 12)}. Thousands of ids in one millisecond, a
 * clock that stands still (tests) or steps back all still give distinct ids; a burst of more than 4096
 * ids in a millisecond borrows from the next millisecond. Loom accepts any UUID version.
 */
public final class IdGenerator {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    /** @param clock the clock whose milliseconds lead each id */
    public IdGenerator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return a new id in the usual 8-4-4-4-12 lower-case hex form */
    public String next() {
        long floor = (clock.millis() & 0xFFFF_FFFF_FFFFL) << 12;
        long counter = last.updateAndGet(prev -> Math.max(prev + 1, floor));
        long msb = ((counter >>> 12) << 16) | 0x7000L | (counter & 0xFFFL);
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
