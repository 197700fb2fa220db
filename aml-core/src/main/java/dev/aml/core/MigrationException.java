package dev.aml.core;

import java.io.Serial;

/** A schema migration failed; the message says whether the tree was rolled back and from which backup. */
public class MigrationException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public MigrationException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
