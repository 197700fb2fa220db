package dev.aml.cli;

/** The exit codes of {@code aml}; documented in the README and stable across releases. */
public final class ExitCodes {
    /** Success; for health checks: healthy. */
    public static final int OK = 0;
    /** Health warning (the command itself ran). */
    public static final int WARNING = 1;
    /** Health critical (the command itself ran). */
    public static final int CRITICAL = 2;
    /** Usage error: unknown command or option, bad value, a memory path that does not exist. */
    public static final int USAGE = 64;
    /** Bad or corrupt data: a file that cannot be read, a backup that does not verify. */
    public static final int DATA = 65;
    /**
     * The database is unavailable: a {@code jdbc:postgresql://…} memory whose server cannot be reached
     * or refuses the login (sysexits {@code EX_UNAVAILABLE}); nothing was read or changed.
     */
    public static final int UNAVAILABLE = 69;
    /** Internal error: a bug or an unexpected I/O failure. */
    public static final int INTERNAL = 70;
    /** Another process or operation holds the lock of this memory tree. */
    public static final int LOCKED = 73;
    /**
     * Bad configuration (sysexits {@code EX_CONFIG}): {@code config/aml.json}, {@code --config FILE},
     * an {@code AML_<SECTION>_<KEY>} variable or a flag holds a value that is not valid JSON, unknown,
     * mistyped, out of range or contradicts another; nothing was read or changed.
     */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
