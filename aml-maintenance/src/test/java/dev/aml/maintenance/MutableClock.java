package dev.aml.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
<<<<<<< HEAD
import java.time.ZoneOffset;

/** A test clock that moves only when told. Thread-safe. */
final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
        this.now = start;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
=======

/** A clock tests move by hand. */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    public MutableClock(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

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
>>>>>>> bb54566 (Monitoring: MonitorConfig/Threshold, Monitor with six checks (value/threshold/message), de-duplicated auto-resolving alerts with retention, capped metrics history, Loom-shaped monitoring files written atomically, MetricsSink SPI; Advice (decision matrix, backup-first apply) and MaintenanceScheduler (single pending wake-up, never concurrent); MemoryManager.monitor()/advise())
    }

    @Override
    public Instant instant() {
        return now;
    }
}
