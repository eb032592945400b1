package dev.stowage.probe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Probe processes started when a command starts, before it knows which directories the gate will
 * probe: each is a JVM of its own that takes 0.1-0.2 s to say it is ready, and the gate would
 * otherwise wait for that after the daemon's data-root is known. They start while stowage itself
 * starts up and asks the daemon for its facts, and do no IO until the gate tells them where.
 *
 * <p>Held for the process (the gate of a command takes them); {@link #release} ends those the gate
 * did not need. A process whose parent goes away without a word reads the end of its input and
 * exits, so a command that fails before its gate leaves nothing behind.
 */
public final class ProbeProcesses {
    private static final Deque<Process> WAITING = new ArrayDeque<>();

    private ProbeProcesses() {
    }

    /**
     * Starts {@code count} probe processes for the next gate to take. Best effort: if one cannot be
     * started, the gate tries again itself and reports why.
     */
    public static synchronized void prestart(int count) {
        try {
            for (int i = 0; i < count; i++) {
                WAITING.add(ActiveProbe.start());
            }
        } catch (RuntimeException e) {
            // the gate starts its own and says what is wrong, with the exit code that goes with it
        }
    }

    /** One started earlier and still alive, if any. */
    static synchronized Optional<Process> take() {
        for (Process process; (process = WAITING.poll()) != null; ) {
            if (process.isAlive()) {
                return Optional.of(process);
            }
        }
        return Optional.empty();
    }

    /** Ends the processes no gate took (they have done no IO). */
    static synchronized void release() {
        WAITING.forEach(Process::destroy);
        WAITING.clear();
    }
}
