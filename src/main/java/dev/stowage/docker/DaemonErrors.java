package dev.stowage.docker;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;

/** The daemon-side failures, each with the remedy an operator needs. */
final class DaemonErrors {
    private DaemonErrors() {
    }

    static StowageException unreachable(DockerHost host, String problem) {
        return unreachable(host, problem, null);
    }

    static StowageException unreachable(DockerHost host, String problem, Throwable cause) {
        return new StowageException(ExitCode.DAEMON, "cannot reach the Docker daemon at " + host + ": " + problem,
                "start it (`systemctl start docker`) or point --host / DOCKER_HOST at the right socket", cause);
    }

    static StowageException api(String call, int status, String message) {
        return new StowageException(ExitCode.DAEMON,
                "the Docker daemon refused " + call + " (HTTP " + status + "): " + message,
                status >= 500 ? "check the daemon log (`journalctl -u docker`) for the cause" : null);
    }

    static StowageException failed(String call, Throwable cause) {
        return new StowageException(ExitCode.DAEMON, "the Docker daemon failed during " + call + ": " + cause.getMessage(),
                "check that the daemon is still running and the log (`journalctl -u docker`)", cause);
    }
}
