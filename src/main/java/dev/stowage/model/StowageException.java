package dev.stowage.model;

import java.util.Objects;

/**
 * The one failure type Stowage reports. It names the problem ({@link #getMessage()}), says what
 * to do about it ({@link #hint()}) and decides the process exit code. Lower layers wrap library
 * and IO exceptions into it once, at their boundary, keeping the cause.
 */
public class StowageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;
    private final String hint;

    public StowageException(ExitCode exitCode, String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message), cause);
        this.exitCode = Objects.requireNonNull(exitCode);
        this.hint = hint;
    }

    public StowageException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** What the operator can do about it; may be null when there is nothing useful to say. */
    public String hint() {
        return hint;
    }
}
