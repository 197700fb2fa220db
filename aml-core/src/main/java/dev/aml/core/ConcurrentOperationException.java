package dev.aml.core;

import java.io.Serial;

/** Another operation or process holds the lock this operation needs (the store's writer lock, or the maintenance lock of a tree). */
public class ConcurrentOperationException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public ConcurrentOperationException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public ConcurrentOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
