package dev.aml.core.internal;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.MaintenanceLock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The maintenance lock of a store whose data only one process can write: at most one operation
 * holds it at a time within this process. Stores that other processes can write too (PostgreSQL)
 * need a lock those processes see as well.
 */
public final class InProcessMaintenanceLock {

    private final AtomicReference<String> holder = new AtomicReference<>();

    /**
     * @param operation the operation that wants the lock, e.g. {@code "prune"}
     * @param where what the lock protects, for the refusal message (e.g. the tree's path)
     * @return the held lock; closing it (once or more) releases it
     * @throws ConcurrentOperationException naming the operation that holds the lock
     */
    public MaintenanceLock acquire(String operation, String where) {
        Objects.requireNonNull(operation, "operation");
        if (!holder.compareAndSet(null, operation)) {
            throw new ConcurrentOperationException("Cannot start '" + operation + "': '" + holder.get()
                    + "' is running on " + where + ". Wait for it to finish, then retry.");
        }
        return new MaintenanceLock() {
            private final AtomicBoolean released = new AtomicBoolean();

            @Override
            public String operation() {
                return operation;
            }

            @Override
            public void close() {
                if (released.compareAndSet(false, true)) {
                    holder.compareAndSet(operation, null);
                }
            }
        };
    }
}
