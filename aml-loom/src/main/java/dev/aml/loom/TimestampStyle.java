package dev.aml.loom;

/** How AML writes timestamps into item files; reading always accepts every style. */
public enum TimestampStyle {
    /** UTC with {@code Z}, millisecond precision, as Loom's TypeScript runtime writes ({@code toISOString()}). */
    UTC_Z,
    /**
     * Local time without zone, as Loom's Python toolkit writes; choose it only while the Python
     * toolkit still runs on the tree, since its time-based pruning crashes on zone-aware timestamps.
     */
    NAIVE_LOCAL
}
