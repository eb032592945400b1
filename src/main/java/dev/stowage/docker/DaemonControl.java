package dev.stowage.docker;

import dev.stowage.model.DaemonFacts;
import java.time.Duration;
import java.util.Optional;

/**
 * Stops and starts the Docker daemon itself, as the host runs it: through systemd, or through the
 * operator's own commands. Stopping is only done when it is proven: the API no longer answers and
 * nothing brings it back. Starting is only done when it is proven too: the API answers, with the
 * storage driver and data-root the configuration asks for.
 */
public interface DaemonControl {

    /** How the daemon is controlled, for messages: "systemd (docker.service)", "commands". */
    String describe();

    /** Stops the daemon and waits until its API is gone for good. */
    void stop(Duration timeout);

    /**
     * Starts the daemon and waits until its API answers.
     *
     * @return the facts of the daemon that came up
     */
    DaemonFacts start(Duration timeout);

    /** What the daemon reported when it last failed to start (journal or log lines); may be empty. */
    String recentLog();

    /**
     * What the daemon said when it gave up starting, once it has: its fatal lines since the last
     * {@link #start}. Empty while it may still come up, or when this control cannot tell (then a
     * start fails only at its timeout).
     */
    default Optional<String> startFailure() {
        return Optional.empty();
    }
}
