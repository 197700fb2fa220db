package dev.aml.core.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock that moves only when told (shared by the test suites of every module). Thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    /** @param start the first instant, in UTC */
    public MutableClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    /**
     * @param start the first instant
     * @param zone the clock's zone (schedules use it)
     */
    public MutableClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** @param d how far to move the clock forward */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** @param instant the clock's new time */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new MutableClock(now, z);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
