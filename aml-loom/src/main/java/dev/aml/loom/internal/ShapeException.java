package dev.aml.loom.internal;

/** A field of the wrong type; the readers turn it into a {@code CorruptDataException} naming file and element. */
final class ShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
        super(message, null, false, false);
    }
}
