package dev.aml.maintenance;

/**
 * Receives progress of a long maintenance operation (backup, restore, verify, migration), for
 * example to draw a progress line in a terminal. Called on the working thread; implementations must
 * be fast and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param phase what is being done, e.g. {@code "backup"} or {@code "verify"}
     * @param done units done so far (files)
     * @param total units in all, or {@code -1} when unknown
     * @param detail the current unit, e.g. {@code "coder/patterns.json"}
     */
    void progress(String phase, long done, long total, String detail);

    /** @return a listener that ignores everything */
    static ProgressListener none() {
        return (phase, done, total, detail) -> { };
    }
}
