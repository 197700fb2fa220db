package dev.aml.core;

import java.io.Serial;

/** A value supplied by a caller or found in configuration breaks a rule (an agent name with a path separator, a negative age); the message names the rule. */
public class InvalidInputException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
