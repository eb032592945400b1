package dev.stowage.docker;

import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.time.Duration;
import java.util.Optional;

/** Watches a daemon's API from outside: is it answering, and until when to wait for it. */
final class DaemonProcess {
    private static final long POLL_MILLIS = 200;

    private DaemonProcess() {
    }

    /** The daemon's facts if its API answers now, else empty. */
    static Optional<DaemonFacts> probe(DockerHost host) {
        try (EngineClient client = EngineClient.connect(host)) {
            return Optional.of(client.facts());
        } catch (StowageException e) {
            return Optional.empty();
        }
    }

    static boolean answers(DockerHost host) {
        return probe(host).isPresent();
    }

    /** Waits until the API answers; fails with exit code 5 and the daemon's own log when it does not. */
    static DaemonFacts awaitUp(DockerHost host, Duration timeout, DaemonControl control) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<DaemonFacts> facts = probe(host);
            if (facts.isPresent()) {
                return facts.get();
            }
            Optional<String> failure = control.startFailure();
            if (failure.isPresent()) {
                throw failedToStart(host, control, failure.get());
            }
            sleep();
        } while (System.nanoTime() < deadline);
        String log = control.recentLog();
        throw new StowageException(ExitCode.DAEMON, "the Docker daemon did not come up at " + host + " within "
                + timeout.toSeconds() + " s (" + control.describe() + ")" + (log.isBlank() ? "" : "; its log says:\n" + log),
                "fix what the log says (often a setting given both as a flag and in daemon.json), start docker, and"
                        + " run the command again: it carries on from where it stopped");
    }

    private static StowageException failedToStart(DockerHost host, DaemonControl control, String said) {
        String hint = said.contains("specified both as a flag and in the configuration file")
                ? "keep each setting in one place: remove it from the daemon's flags (the start command, the systemd"
                        + " unit's ExecStart or a drop-in, /etc/sysconfig/docker) or from daemon.json; then run the"
                        + " command again: it carries on from where it stopped"
                : "fix what the daemon says, start docker, and run the command again: it carries on from where it"
                        + " stopped";
        return new StowageException(ExitCode.DAEMON, "the Docker daemon at " + host + " failed to start ("
                + control.describe() + "); it says:\n" + said.strip(), hint);
    }

    /** Waits until the API stops answering, and then a little longer to see that nothing restarts it. */
    static void awaitDown(DockerHost host, Duration timeout, Duration settle, DaemonControl control) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answers(host)) {
            if (System.nanoTime() > deadline) {
                throw new StowageException(ExitCode.DAEMON, "the Docker daemon at " + host + " still answers "
                        + timeout.toSeconds() + " s after it was told to stop (" + control.describe() + ")",
                        "stop it by hand and run the command again");
            }
            sleep();
        }
        long settled = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settled) {
            if (answers(host)) {
                throw new StowageException(ExitCode.PRECHECK, "the Docker daemon at " + host + " came back after it"
                        + " was stopped (" + control.describe() + "): something restarts it (socket activation,"
                        + " a supervisor, a restart policy)", "disable whatever restarts it during the migration");
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while waiting for the Docker daemon", null);
        }
    }
}
