package dev.stowage.model;

/**
 * The documented exit codes. Scripts depend on these numbers: never renumber, only add.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: please report it with --stacktrace output)"),
    USAGE(2, "invalid command line"),
    PRECHECK(3, "a precheck blocked the run; nothing was changed"),
    NO_SPACE(4, "not enough disk space or inodes for the plan"),
    DAEMON(5, "Docker daemon unreachable, or the Engine API failed"),
    VERIFY(6, "verification failed: data is missing, corrupt or different"),
    LOCKED(7, "another stowage run holds the migration directory"),
    JOURNAL(8, "journal or resume problem"),
    DISK_DEGRADED(10, "disk health degraded"),
    DISK_STALLED(11, "disk stalled"),
    INTERRUPTED(130, "interrupted (Ctrl-C); rerun to carry on");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
