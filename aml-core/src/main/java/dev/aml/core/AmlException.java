package dev.aml.core;

import java.io.Serial;

/**
 * Base of every operational failure AML reports: something the caller or operator can act on
 * (a corrupt file, a held lock, a failed backup). Programmer misuse is reported with the JDK's
 * {@code NullPointerException}, {@code IllegalArgumentException} and {@code IllegalStateException}.
 *
 * <p>Messages say what happened, which file, item or setting is involved, and what to do next.
 */
public class AmlException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public AmlException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public AmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
