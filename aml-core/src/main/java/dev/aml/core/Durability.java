package dev.aml.core;

/** When a write is on stable storage, relative to the call that made it. */
public enum Durability {
    /** The call returns after the write is fsynced. Safest, bounded by the disk's fsync rate. */
    SYNC,
    /**
     * The default: writes are fsynced in groups within a few milliseconds, and on {@code flush()}
     * and {@code close()}. A crash can lose only the last few milliseconds of writes.
     */
    BATCH,
    /** No fsync until checkpoint or close; for tests and throw-away data. */
    NONE
}
