package dev.aml.core;

/**
 * Proof that one maintenance operation (prune, backup, restore, migrate, optimize) holds a tree:
 * two never run at once. Close it to release.
 */
public interface MaintenanceLock extends AutoCloseable {

    /** @return the name of the operation holding the lock, e.g. {@code "prune"} */
    String operation();

    /** Releases the lock; closing twice does nothing. */
    @Override
    void close();
}
