package dev.stowage.probe;

import java.util.Optional;

/** Parsers for the per-thread files under {@code /proc/PID/task/TID/}. */
final class TaskFiles {
    private TaskFiles() {
    }

    /** The identity and scheduler state of one thread, from its {@code stat} line. */
    record TaskState(int tid, String comm, char state) {
    }

    /**
     * Parses a {@code stat} line: {@code tid (comm) S ppid ...}. The command name may itself hold
     * spaces and parentheses, so the state is found after the last closing parenthesis.
     */
    static Optional<TaskState> parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        try {
            int tid = Integer.parseInt(line.substring(0, open).trim());
            return Optional.of(new TaskState(tid, line.substring(open + 1, close), line.charAt(close + 2)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Voluntary plus involuntary context switches from a {@code status} file; -1 if absent. */
    static long contextSwitches(String status) {
        long total = 0;
        boolean found = false;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                try {
                    total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    found = true;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return found ? total : -1;
    }

    /** A {@code wchan} file holds a symbol name, or "0" when the kernel hides it or the thread runs. */
    static String wchan(String text) {
        String name = text.trim();
        return name.isEmpty() || name.equals("0") ? "?" : name;
    }
}
