package dev.aml.core;

import java.io.Serial;

/** No item with the given id exists for that agent and kind. */
public class ItemNotFoundException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do next */
    public ItemNotFoundException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do next
     * @param cause the underlying failure
     */
    public ItemNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
