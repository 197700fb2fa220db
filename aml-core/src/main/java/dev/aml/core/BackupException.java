package dev.aml.core;

import java.io.Serial;

/** A backup could not be created, verified, rotated or restored; the live memory tree was left unchanged unless the message says otherwise. */
public class BackupException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public BackupException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
