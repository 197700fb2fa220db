package dev.aml.core;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Data on disk (an item file, the journal, backup metadata) could not be read. AML never turns such
 * data into an empty list and never deletes or overwrites it; the file is left exactly as it was.
 *
 * <p>{@link #file()} and {@link #position()} locate the problem: a byte offset for syntax errors, or
 * an element index for elements of the wrong shape (see {@link #positionKind()}).
 */
public class CorruptDataException extends AmlException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What {@link #position()} counts. */
    public enum PositionKind {
        /** no position is known */
        NONE,
        /** a byte offset into the (uncompressed) file */
        BYTE_OFFSET,
        /** the index of an element in the file's top-level JSON array */
        ELEMENT_INDEX
    }

    private final transient @Nullable Path file;
    private final long position;
    private final PositionKind positionKind;

    /**
     * @param message what happened and what to do next
     * @param file the unreadable file, if any
     * @param position byte offset or element index, {@code -1} if unknown
     * @param positionKind what {@code position} counts
     * @param cause the underlying failure, if any
     */
    public CorruptDataException(String message, @Nullable Path file, long position, PositionKind positionKind,
            @Nullable Throwable cause) {
        super(message, cause);
        this.file = file;
        this.position = position;
        this.positionKind = position < 0 ? PositionKind.NONE : positionKind;
    }

    /** @param message what happened and what to do next */
    public CorruptDataException(String message) {
        this(message, null, -1, PositionKind.NONE, null);
    }

    /** @return the unreadable file, if known */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** @return the byte offset or element index of the problem, or {@code -1} if unknown */
    public long position() {
        return position;
    }

    /** @return what {@link #position()} counts */
    public PositionKind positionKind() {
        return positionKind;
    }
}
