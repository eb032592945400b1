package dev.stowage.probe;

import dev.stowage.model.ExitCode;
import java.util.Locale;

/** How a disk is doing, worst last, so that the verdict of several findings is their maximum. */
public enum Verdict {
    /** IO completes promptly; nothing argues against running a migration. */
    HEALTHY(ExitCode.OK),
    /** IO works but slowly or the filesystem is short of something: a migration may run, with a warning. */
    DEGRADED(ExitCode.DISK_DEGRADED),
    /** IO is not completing, or the filesystem cannot take writes: starting a migration would make it worse. */
    STALLED(ExitCode.DISK_STALLED);

    private final ExitCode exitCode;

    Verdict(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public Verdict worse(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** The word used in text and JSON: {@code healthy}, {@code degraded}, {@code stalled}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
